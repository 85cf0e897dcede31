#!/bin/bash
# Renders docs/workbench.png: the workbench in a real sixel terminal (xterm as a VT340 under Xvfb), after a
# run on the tiny fixture model with the before/after compare, a token's heat map and the walkthrough mask.
# Needs: apt-get install xvfb xterm xdotool imagemagick fonts-dejavu-core; a debug build (swift build).
# Run from the repository root. Only the Xvfb and xterm it starts are stopped at the end.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
display=:${DISPLAY_NUMBER:-97}
cat > "$work/walk.toml" <<TOML
[method]
name = "masactrl"
[source]
image = "$root/Samples/red-circle.png"
seed = 1
[prompts]
source = "a red circle on a blue background"
target = "a yellow circle on a blue background"
[sampling]
steps = 10
width = 256
height = 256
TOML
Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xterm $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=$display
xterm -ti vt340 -tn xterm-256color -geometry 120x36+0+0 -fa 'DejaVu Sans Mono' -fs 9 \
    -xrm 'XTerm*allowSendEvents: true' -xrm 'XTerm*numColorRegisters: 256' \
    -e env LANG=C.UTF-8 XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" \
    .build/debug/attune --model Tests/Fixtures/tiny-sd/diffusers --session "$work/walk.toml" &
xterm=$!
sleep 3
window=$(xdotool search --pid $xterm | tail -1)
{
    xdotool key --window "$window" ctrl+r; sleep 10
    xdotool type --window "$window" '4c6I'; xdotool key --window "$window" ctrl+u
    xdotool type --window "$window" 'Samples/masks/red-circle.png'; xdotool key --window "$window" Return; sleep 12
    xdotool type --window "$window" '5nnn'; sleep 2
} 2>/dev/null
import -window root -crop 964x544+0+0 "$work/shot.png"
mkdir -p docs
convert "$work/shot.png" -dither None -colors 96 PNG8:docs/workbench.png
echo "wrote docs/workbench.png"
