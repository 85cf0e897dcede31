"""Captioned scenes of the micro-SD world: a seed -> a scene description (objects, background) and its caption.

A scene is drawn by render.py; the description is the ground truth the measurers are checked against. Sampling
uses Python's `random.Random(seed)` only, so a seed gives the same scene on every machine and Python version.
"""

import random
from dataclasses import dataclass, field

import world


@dataclass
class SceneObject:
    shape: str  # one of world.SHAPES, or "stick figure" / "bar"
    colour: str
    rgb: tuple
    size: str  # world.SIZES key; figures and bars are "medium"
    centre: tuple  # (x, y) as fractions of the side
    extent: float  # bounding-box side as a fraction of the image side
    pose: str = ""  # world.POSES / world.BAR_POSES key for figures and bars


@dataclass
class Background:
    kind: str  # one of world.BACKGROUNDS
    colours: list  # colour names: 1 (solid), 2 (gradient, stripes); grass_sky uses fixed colours
    rgbs: list
    orientation: str = ""  # gradient / stripes: "vertical", "horizontal", "diagonal"
    period: float = 0.0  # stripes: period as a fraction of the side
    horizon: float = 0.0  # grass_sky: horizon height as a fraction of the side from the top


@dataclass
class Scene:
    seed: int
    kind: str  # one of world.SCENE_WEIGHTS
    objects: list
    background: Background
    caption: str
    position: str = "center"
    extras: dict = field(default_factory=dict)


def jittered(rng, name):
    return tuple(min(255, max(0, c + rng.randint(-world.COLOUR_JITTER, world.COLOUR_JITTER)))
                 for c in world.COLOURS[name])


def weighted(rng, weights):
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def sample_background(rng, object_colours, kind=None):
    kind = kind or weighted(rng, world.BACKGROUND_WEIGHTS)
    if kind == "grass_sky" and set(object_colours) & world.GRASS_SKY_EXCLUDED:
        kind = "solid"
    if kind == "grass_sky":
        names = ["blue", "green"]
        return Background(kind, names, [jittered(rng, n) for n in names], horizon=rng.uniform(0.6, 0.72))
    free = [c for c in world.BACKGROUND_COLOURS if all(world.contrasts(c, o) for o in object_colours)]
    count = 1 if kind == "solid" else 2
    names = rng.sample(free, count)
    background = Background(kind, names, [jittered(rng, n) for n in names])
    if kind != "solid":
        background.orientation = rng.choice(["vertical", "horizontal", "diagonal"])
    if kind == "stripes":
        background.period = rng.uniform(0.19, 0.31)
    return background


def background_phrase(rng, background):
    c = background.colours
    if background.kind == "solid":
        return f"on {world.article(c[0])} {c[0]} background"
    if background.kind == "gradient":
        return f"on {world.article(c[0])} {c[0]} to {c[1]} gradient"
    if background.kind == "stripes":
        return f"on {world.article(c[0])} {c[0]} and {c[1]} striped background"
    return rng.choice(["on grass under a blue sky", "on green grass under a blue sky"])


def size_word(rng, size):
    return rng.choice(world.SIZE_WORDS[size])


def noun_phrase(*words):
    return " ".join(w for w in words if w)


def place_apart(rng, count, extent):
    """Centres for `count` objects of side `extent` that neither overlap nor leave the image."""
    low, high = extent / 2 + 0.04, 1 - extent / 2 - 0.04
    for _ in range(1000):
        centres = [(rng.uniform(low, high), rng.uniform(low, high)) for _ in range(count)]
        if all(max(abs(a[0] - b[0]), abs(a[1] - b[1])) > extent * 1.15
               for i, a in enumerate(centres) for b in centres[:i]):
            return centres
    raise RuntimeError(f"cannot place {count} objects of extent {extent}")


def jitter_centre(rng, position):
    x, y = world.POSITIONS[position]
    j = world.POSITION_JITTER
    return (x + rng.uniform(-j, j), y + rng.uniform(-j, j))


def sample_scene(seed, kind=None, background_kind=None):
    """The scene of `seed`; `kind` / `background_kind` force a scene or background kind (evaluation sets)."""
    rng = random.Random(seed)
    kind = kind or weighted(rng, world.SCENE_WEIGHTS)
    colour = rng.choice(world.OBJECT_COLOURS)
    if kind == "figure" and rng.random() < 0.6:
        colour = "black"
    background = sample_background(rng, [colour], background_kind)
    position = "center"
    if kind == "single":
        shape = rng.choice(world.SHAPES)
        size = rng.choice(list(world.SIZES))
        if size != "large" and rng.random() < 0.5:
            position = rng.choice([p for p in world.POSITIONS if p != "center"])
        extent = world.SIZES[size] * (1 + rng.uniform(-world.SIZE_JITTER, world.SIZE_JITTER))
        objects = [SceneObject(shape, colour, jittered(rng, colour), size, jitter_centre(rng, position), extent)]
        word = size_word(rng, size)
        subject = noun_phrase(world.article(word or colour), word, colour, shape)
    elif kind == "count":
        shape = rng.choice(world.SHAPES)
        count = rng.choice([2, 3])
        size = "small" if count == 3 or rng.random() < 0.5 else "medium"
        extent = world.SIZES[size] * (1 + rng.uniform(-world.SIZE_JITTER, world.SIZE_JITTER))
        rgb = jittered(rng, colour)
        objects = [SceneObject(shape, colour, rgb, size, c, extent) for c in place_apart(rng, count, extent)]
        subject = noun_phrase(world.COUNT_WORDS[count], size_word(rng, size), colour, world.PLURALS[shape])
    elif kind == "figure":
        pose = rng.choice(list(world.POSES))
        position = rng.choice(["center", "center", "left", "right"])
        objects = [SceneObject("stick figure", colour, jittered(rng, colour), "medium", jitter_centre(rng, position),
                               0.6, pose)]
        subject = f"{world.article(colour)} {colour} stick figure {world.POSES[pose]}"
    else:
        pose = rng.choice(list(world.BAR_POSES))
        position = rng.choice(["center", "center", "left", "right", "top", "bottom"])
        if pose == "upright" and position in ("top", "bottom"):
            position = "center"
        if pose == "lying" and position in ("left", "right"):
            position = "center"
        objects = [SceneObject("bar", colour, jittered(rng, colour), "medium", jitter_centre(rng, position), 0.6, pose)]
        subject = f"{world.article(colour)} {colour} bar {world.BAR_POSES[pose]}"
    caption = subject
    if rng.random() < 0.95:
        caption += " " + background_phrase(rng, background)
    if position != "center" or (kind == "single" and rng.random() < 0.25):
        caption += ", " + rng.choice(world.POSITION_PHRASES[position])
    return Scene(seed, kind, objects, background, caption, position)
