"""Draws a scene (scenes.py) into an RGB image with anti-aliased edges, and returns each object's true mask.

Shapes are drawn with PIL at SUPERSAMPLE times the final size and box-averaged down, so edges carry partial
coverage as a camera's would; an object's ground-truth mask is its coverage >= 0.5.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

SUPERSAMPLE = 3
RING_INNER = 0.56  # inner radius / outer radius
CROSS_ARM = 0.34  # arm width / extent
STAR_INNER = 0.42  # inner radius / outer radius
BAR_THICKNESS = 0.14  # / length


def star_points(r):
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * STAR_INNER
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def heart_points():
    t = np.linspace(0, 2 * math.pi, 120, endpoint=False)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return list(zip(x, y))


def fit_unit_box(points):
    """Scales and centres `points` so their bounding box's larger side is 1, centred on the origin."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    side = max(max(xs) - min(xs), max(ys) - min(ys))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [((x - cx) / side, (y - cy) / side) for x, y in points]


STAR = fit_unit_box(star_points(1.0))
HEART = fit_unit_box(heart_points())


def draw_shape(draw, shape, cx, cy, side):
    """Fills `shape` (world.SHAPES) with bounding-box side `side` centred at (cx, cy), in pixels."""
    h = side / 2
    box = [cx - h, cy - h, cx + h, cy + h]
    if shape == "circle":
        draw.ellipse(box, fill=255)
    elif shape == "square":
        draw.rectangle(box, fill=255)
    elif shape == "triangle":
        draw.polygon([(cx, cy - h), (cx + h, cy + h), (cx - h, cy + h)], fill=255)
    elif shape == "star":
        draw.polygon([(cx + x * side, cy + y * side) for x, y in STAR], fill=255)
    elif shape == "heart":
        draw.polygon([(cx + x * side, cy + y * side) for x, y in HEART], fill=255)
    elif shape == "ring":
        draw.ellipse(box, fill=255)
        r = h * RING_INNER
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=0)
    elif shape == "cross":
        a = side * CROSS_ARM / 2
        draw.rectangle([cx - a, cy - h, cx + a, cy + h], fill=255)
        draw.rectangle([cx - h, cy - a, cx + h, cy + a], fill=255)
    else:
        raise ValueError(f"unknown shape {shape!r}")


# Stick figure joints in units of its height, origin at its centre, y down.
_SHOULDER, _HIP = (0.0, -0.18), (0.0, 0.08)
STICK_POSES = {
    "standing": {"arms": [(-0.22, 0.06), (0.22, 0.06)], "legs": [[(-0.16, 0.5)], [(0.16, 0.5)]]},
    "arms_raised": {"arms": [(-0.24, -0.45), (0.24, -0.45)], "legs": [[(-0.16, 0.5)], [(0.16, 0.5)]]},
    "sitting": {"arms": [(0.2, 0.02), (0.24, 0.0)], "legs": [[(0.26, 0.1), (0.26, 0.42)], [(0.3, 0.06), (0.3, 0.4)]]},
}


def draw_stick_figure(draw, pose, cx, cy, height):
    def p(point):
        return (cx + point[0] * height, cy + point[1] * height)

    width = max(2, round(0.055 * height))
    r = 0.11 * height
    hx, hy = p((0.0, -0.38))
    draw.ellipse([hx - r, hy - r, hx + r, hy + r], fill=255)
    draw.line([p((0.0, -0.28)), p(_HIP)], fill=255, width=width)
    joints = STICK_POSES[pose]
    for hand in joints["arms"]:
        draw.line([p(_SHOULDER), p(hand)], fill=255, width=width, joint="curve")
    for leg in joints["legs"]:
        draw.line([p(_HIP)] + [p(q) for q in leg], fill=255, width=width, joint="curve")


def draw_bar(draw, pose, cx, cy, length):
    w, h = (length * BAR_THICKNESS, length) if pose == "upright" else (length, length * BAR_THICKNESS)
    draw.rectangle([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], fill=255)


def background_image(background, n):
    """The background as float RGB [n, n, 3]."""
    grid = (np.arange(n) + 0.5) / n
    x, y = np.meshgrid(grid, grid)
    rgbs = [np.array(c, dtype=np.float32) for c in background.rgbs]
    if background.kind == "solid":
        return np.broadcast_to(rgbs[0], (n, n, 3)).copy()
    if background.kind == "grass_sky":
        sky_top, grass = rgbs
        sky_low = sky_top + (np.array([235, 240, 250], np.float32) - sky_top) * 0.6
        t = np.clip(y / background.horizon, 0, 1)[..., None]
        sky = sky_top * (1 - t) + sky_low * t
        shade = np.clip((y - background.horizon) / (1 - background.horizon), 0, 1)[..., None]
        ground = grass * (1 - 0.3 * shade)
        return np.where((y < background.horizon)[..., None], sky, ground)
    u = {"vertical": y, "horizontal": x, "diagonal": (x + y) / 2}[background.orientation]
    if background.kind == "gradient":
        t = u[..., None]
        return rgbs[0] * (1 - t) + rgbs[1] * t
    phase = (u * (2 if background.orientation == "diagonal" else 1) / background.period) % 1.0
    return np.where((phase < 0.5)[..., None], rgbs[0], rgbs[1])


def coverage(scene_object, n):
    """The object's coverage [n, n] in {0, 1}, drawn at size n."""
    canvas = Image.new("L", (n, n), 0)
    draw = ImageDraw.Draw(canvas)
    cx, cy = scene_object.centre[0] * n, scene_object.centre[1] * n
    side = scene_object.extent * n
    if scene_object.shape == "stick figure":
        draw_stick_figure(draw, scene_object.pose, cx, cy, side)
    elif scene_object.shape == "bar":
        draw_bar(draw, scene_object.pose, cx, cy, side)
    else:
        draw_shape(draw, scene_object.shape, cx, cy, side)
    return np.asarray(canvas, dtype=np.float32) / 255


def box_reduce(a, factor):
    n = a.shape[0] // factor
    return a.reshape(n, factor, n, factor, *a.shape[2:]).mean(axis=(1, 3))


def render(scene, size=128):
    """-> (uint8 RGB image [size, size, 3], list of bool masks [size, size], one per object).

    Smooth backgrounds are drawn at the final size; stripes, which have edges, are supersampled too. Objects are
    composited by their box-averaged coverage, which is exact anti-aliasing over a smooth background."""
    n = size * SUPERSAMPLE
    if scene.background.kind == "stripes":
        image = box_reduce(background_image(scene.background, n), SUPERSAMPLE)
    else:
        image = background_image(scene.background, size)
    masks = []
    for obj in scene.objects:
        cover = box_reduce(coverage(obj, n), SUPERSAMPLE)[..., None]
        image = image * (1 - cover) + np.array(obj.rgb, np.float32) * cover
        masks.append(cover[..., 0] >= 0.5)
    return np.clip(np.round(image), 0, 255).astype(np.uint8), masks
