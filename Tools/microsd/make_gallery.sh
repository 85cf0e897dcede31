#!/usr/bin/env bash
# The README's gallery: one edit per method with the embedded model (Samples/attune-micro-sd.safetensors),
# each written to docs/gallery/ with its source picture and its edit record. The README quotes these commands.
# Usage (from the repository root, after `swift build -c release`): bash Tools/microsd/make_gallery.sh
set -euo pipefail
attune=${ATTUNE:-.build/release/attune}
out=docs/gallery
mkdir -p "$out"

# MasaCtrl, synthesis: the shape changes, colour and background stay.
$attune edit --method masactrl --seed 3 --steps 20 \
  --source-prompt "a red circle on a white background" --target-prompt "a red square on a white background" \
  --output $out/masactrl.png --save-source $out/masactrl-source.png

# MasaCtrl, real picture: a non-rigid edit, the figure raises its arms.
$attune edit --method masactrl --source Samples/scenes/black-figure.png --steps 20 \
  --source-prompt "a black stick figure standing on a white background" \
  --target-prompt "a black stick figure with arms raised on a white background" \
  --output $out/masactrl-real.png --save-source $out/masactrl-real-source.png

# Free-Prompt-Editing, real picture: the colour changes, the shape stays.
$attune edit --method fpe --source Samples/scenes/red-circle.png --steps 20 \
  --source-prompt "a red circle on a white background" --target-prompt "a blue circle on a white background" \
  --output $out/fpe.png --save-source $out/fpe-source.png

# Prompt-to-Prompt word swap, synthesis (the baseline).
$attune edit --method p2p --seed 5 --steps 20 \
  --source-prompt "a red circle on a white background" --target-prompt "a green circle on a white background" \
  --output $out/p2p.png --save-source $out/p2p-source.png

# MaSaFusion (Algorithm 5, no adapter), real picture: the edit is confined to the masked object's region.
$attune edit --method masafusion --source Samples/scenes/red-circle.png --mask Samples/scenes/red-circle-mask.png \
  --steps 20 --source-prompt "a red circle on a white background" --target-prompt "a blue circle on a white background" \
  --output $out/masafusion.png --save-source $out/masafusion-source.png

# MCA-Ctrl subject addition: the red circle of one picture into the region of a grass-and-sky picture.
$attune edit --method mcactrl --variant add --source Samples/scenes/grass-sky.png --mask Samples/scenes/region-center.png \
  --subject Samples/scenes/red-circle.png --subject-mask Samples/scenes/red-circle-mask.png \
  --subject-prompt "a red circle on a white background" --steps 20 \
  --source-prompt "grass under a blue sky" --target-prompt "a red circle on grass under a blue sky" \
  --output $out/mcactrl.png --save-source $out/mcactrl-source.png
