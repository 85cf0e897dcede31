"""The vocabulary of the micro-SD world: colours, shapes, sizes, positions, poses and backgrounds.

Everything the scene generator can draw and every word its captions use is named here, so the measurers
(measure.py) and the Swift quality tests agree with the generator on what "red" or "large" means.
"""

# Base RGB of each named colour; the generator jitters each channel by up to COLOUR_JITTER.
COLOURS = {
    "red": (215, 35, 35),
    "orange": (240, 135, 25),
    "yellow": (235, 210, 35),
    "green": (45, 165, 65),
    "blue": (40, 85, 215),
    "purple": (135, 55, 185),
    "pink": (240, 125, 185),
    "white": (245, 245, 240),
    "black": (25, 25, 25),
    "gray": (128, 128, 128),
}
COLOUR_JITTER = 12
OBJECT_COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black"]
BACKGROUND_COLOURS = list(COLOURS)
# Colours that carry a hue; the others are told apart by lightness alone.
CHROMATIC = ["red", "orange", "yellow", "green", "blue", "purple", "pink"]

SHAPES = ["circle", "square", "triangle", "star", "ring", "cross", "heart"]
PLURALS = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars", "ring": "rings",
           "cross": "crosses", "heart": "hearts"}

# Extent of a shape's bounding box as a fraction of the image side.
SIZES = {"small": 0.24, "medium": 0.38, "large": 0.56}
SIZE_JITTER = 0.06  # relative
SIZE_WORDS = {"small": ["small"], "medium": [""], "large": ["large", "big"]}

# Centre of an object (fractions of the side, x right, y down) per named position.
POSITIONS = {"center": (0.5, 0.5), "left": (0.26, 0.5), "right": (0.74, 0.5), "top": (0.5, 0.27),
             "bottom": (0.5, 0.73)}
POSITION_PHRASES = {"center": ["in the center", "in the middle"], "left": ["on the left"], "right": ["on the right"],
                    "top": ["at the top"], "bottom": ["at the bottom"]}
POSITION_JITTER = 0.03

COUNT_WORDS = {2: "two", 3: "three"}

POSES = {"standing": "standing", "sitting": "sitting", "arms_raised": "with arms raised"}
BAR_POSES = {"upright": "standing upright", "lying": "lying flat"}

BACKGROUNDS = ["solid", "gradient", "stripes", "grass_sky"]

# Scene kinds and how often the dataset draws them.
SCENE_WEIGHTS = {"single": 0.62, "count": 0.14, "figure": 0.14, "bar": 0.10}
BACKGROUND_WEIGHTS = {"solid": 0.50, "gradient": 0.17, "stripes": 0.15, "grass_sky": 0.18}
# A background colour must differ from the object's colour by at least this RGB distance (base colours): it
# rules out orange on yellow (76) and yellow on orange, which jitter can bring within 55.
MIN_CONTRAST = 90
# Objects of these colours are not put on grass under a sky (they would vanish into it).
GRASS_SKY_EXCLUDED = {"green", "blue"}


def contrasts(a, b):
    return sum((x - y) ** 2 for x, y in zip(COLOURS[a], COLOURS[b])) ** 0.5 >= MIN_CONTRAST


def article(word):
    return "an" if word[0] in "aeiou" else "a"
