"""Simple, explainable measurers for generated scenes (mirrored in Tests/AttuneQualityTests/Measurers/*.swift).

- background: a plane a + b x + c y per channel, fitted by least squares to a 4-pixel border ring (a solid
  colour or a linear gradient; stripes and grass-and-sky are beyond it);
- object mask: pixels farther than OBJECT_DISTANCE (RGB, 0-255) from the background, reduced to the connected
  components of at least MIN_COMPONENT_FRACTION of the largest;
- colour: each object pixel gets a named colour (dark -> black, grey -> white/gray by lightness, otherwise the
  nearest hue of world.COLOURS' chromatic colours); the object's colour is the most frequent name;
- shape: from the largest component's geometry: extent (area / bounding box), solidity (area / convex-hull
  area), hole fraction, the number of lobes of the outline and where the mass sits in the box, by the rules in
  `classify_shape` (lobes and mass survive the soft edges of VAE-decoded pictures where extent and solidity
  alone do not);
- IoU of two masks, PSNR over the pixels outside a mask.
Images are uint8 RGB arrays [H, W, 3]; masks bool [H, W].
"""

import colorsys
from collections import deque

import numpy as np

import world

BORDER = 4
OBJECT_DISTANCE = 60.0
MIN_COMPONENT_FRACTION = 0.2
DARK_VALUE = 0.25  # HSV value below which a pixel is black
GREY_SATURATION = 0.25  # saturation below which a pixel is white, gray or black
WHITE_VALUE = 0.8


def background_estimate(image):
    """The fitted background plane, float [H, W, 3]."""
    h, w, _ = image.shape
    ys, xs = np.mgrid[0:h, 0:w]
    ring = np.zeros((h, w), bool)
    ring[:BORDER], ring[-BORDER:], ring[:, :BORDER], ring[:, -BORDER:] = True, True, True, True
    design = np.stack([np.ones(ring.sum()), xs[ring] / w, ys[ring] / h], axis=1)
    coefficients, *_ = np.linalg.lstsq(design, image[ring].astype(np.float64), rcond=None)
    full = np.stack([np.ones(h * w), xs.ravel() / w, ys.ravel() / h], axis=1)
    return (full @ coefficients).reshape(h, w, 3)


def components(mask):
    """Connected components (4-neighbour) of `mask` as a list of bool masks, largest first."""
    h, w = mask.shape
    labels = np.zeros((h, w), np.int32)
    found = []
    for y0, x0 in zip(*np.nonzero(mask)):
        if labels[y0, x0]:
            continue
        label = len(found) + 1
        labels[y0, x0] = label
        queue, size = deque([(y0, x0)]), 0
        while queue:
            y, x = queue.popleft()
            size += 1
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = label
                    queue.append((ny, nx))
        found.append((size, label))
    found.sort(key=lambda s: -s[0])
    return [labels == label for _, label in found]


def object_components(image):
    """The objects' components (largest first): far from the background and not tiny next to the largest."""
    distance = np.linalg.norm(image.astype(np.float64) - background_estimate(image), axis=2)
    parts = components(distance > OBJECT_DISTANCE)
    if not parts:
        return []
    largest = parts[0].sum()
    return [p for p in parts if p.sum() >= MIN_COMPONENT_FRACTION * largest]


def object_mask(image):
    mask = np.zeros(image.shape[:2], bool)
    for part in object_components(image):
        mask |= part
    return mask


HUES = {name: colorsys.rgb_to_hsv(*(c / 255 for c in world.COLOURS[name]))[0] * 360 for name in world.CHROMATIC}


def pixel_colour(rgb):
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    if v < DARK_VALUE:
        return "black"
    if s < GREY_SATURATION:
        return "white" if v > WHITE_VALUE else ("gray" if v > DARK_VALUE * 2 else "black")
    hue = h * 360
    return min(HUES, key=lambda n: min(abs(hue - HUES[n]), 360 - abs(hue - HUES[n])))


def dominant_colour(image, mask):
    """The most frequent named colour among the mask's pixels, or None for an empty mask."""
    pixels = image[mask]
    if len(pixels) == 0:
        return None
    # Quantising to 16 levels first keeps this fast; the names do not change within a 16-level cell.
    cells, counts = np.unique(pixels // 16 * 16 + 8, axis=0, return_counts=True)
    votes = {}
    for cell, count in zip(cells, counts):
        name = pixel_colour(cell)
        votes[name] = votes.get(name, 0) + count
    return max(votes, key=votes.get)


def convex_hull_area(mask):
    """Area of the convex hull of the mask's pixel squares (corners of each row's outermost pixels)."""
    points = []
    for y in np.nonzero(mask.any(axis=1))[0]:
        xs = np.nonzero(mask[y])[0]
        points += [(xs[0], y), (xs[0], y + 1), (xs[-1] + 1, y), (xs[-1] + 1, y + 1)]
    points = sorted(set(points))
    if len(points) < 3:
        return 0.0

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return 0.5 * abs(sum(hull[i][0] * hull[i - 1][1] - hull[i - 1][0] * hull[i][1] for i in range(len(hull))))


def hole_area(mask):
    """Pixels inside the bounding box that are not in the mask and cannot reach the box's edge."""
    ys, xs = np.nonzero(mask)
    box = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    padded = np.pad(~box, 1, constant_values=True)
    outside = components(padded)
    reachable = next((c for c in outside if c[0, 0]), np.zeros_like(padded))
    return int((padded & ~reachable).sum())


def lobes(mask, cx, cy):
    """Peaks of the outline's distance from the centroid over 72 directions (smoothed over 15 degrees), each
    standing out by at least 12% of the largest distance from the lowest point within 35 degrees of it."""
    bins = 72
    ys, xs = np.nonzero(mask)
    dx, dy = xs - cx, ys - cy
    which = (np.floor((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * bins).astype(int)) % bins
    radius = np.zeros(bins)
    np.maximum.at(radius, which, np.sqrt(dx * dx + dy * dy))
    # Directions no pixel fell in (small shapes) take their neighbours' value, read in order as Swift does.
    for i in range(bins):
        if radius[i] == 0:
            radius[i] = max(radius[(i - 1) % bins], radius[(i + 1) % bins])
    smooth = [(radius[(i - 1) % bins] + radius[i] + radius[(i + 1) % bins]) / 3 for i in range(bins)]
    top = max(smooth)
    count = 0
    for i in range(bins):
        around = [smooth[(i + k) % bins] for k in range(1, 8)] + [smooth[(i - k) % bins] for k in range(1, 8)]
        peak = all(smooth[i] > smooth[(i - k) % bins] and smooth[i] >= smooth[(i + k) % bins] for k in range(1, 4))
        if peak and smooth[i] - min(around) >= 0.12 * top:
            count += 1
    return count


def shape_features(mask):
    """(extent, solidity, hole fraction, lobes, mass) of a mask, mass being the centroid's height in the bounding
    box (0 at its top, 1 at its bottom); None for masks too small to judge (< 16 pixels)."""
    area = int(mask.sum())
    if area < 16:
        return None
    ys, xs = np.nonzero(mask)
    box = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
    cx, cy = xs.mean(), ys.mean()
    mass = (cy - ys.min()) / max(ys.max() - ys.min(), 1)
    return area / box, area / convex_hull_area(mask), hole_area(mask) / area, lobes(mask, cx, cy), mass


def classify_shape(features):
    """A world.SHAPES name. Rings have holes; stars five lobes; crosses four (eight when sharp) without filling
    their box, squares fill it; of the three-lobed, triangles carry their mass low and hearts high; the rest are
    circles."""
    if features is None:
        return None
    extent, _, holes, lobe_count, mass = features
    if holes > 0.15:
        return "ring"
    if extent > 0.88:
        return "square"
    if lobe_count == 5:
        return "star"
    if lobe_count >= 4:  # a sharp cross shows both corners of each arm: 8
        return "square" if extent > 0.8 else "cross"
    if lobe_count == 3 or extent < 0.7:
        return "triangle" if mass > 0.55 else "heart"
    return "circle"


def object_shape(image):
    parts = object_components(image)
    return classify_shape(shape_features(parts[0])) if parts else None


def iou(a, b):
    union = (a | b).sum()
    return float((a & b).sum() / union) if union else 1.0


def psnr_outside(a, b, mask):
    """PSNR (dB, peak 255) of two images over the pixels where `mask` is false."""
    keep = ~mask
    mse = np.mean((a[keep].astype(np.float64) - b[keep].astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)
