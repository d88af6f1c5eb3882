#!/usr/bin/env bash
# Drives the REPL in a real terminal under tmux, as a person would: a definition, Tab
# completion, history recall, Ctrl-C during a long training, and the model still evaluates.
# Usage: repl_under_tmux.sh PATH/TO/retort   (exit 0 on success; prints the screen on failure)
set -euo pipefail
retort="$1"
session="retort-test-$$"
home=$(mktemp -d)
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session" -S -200; }
wait_for() { # wait_for PATTERN SECONDS
  local tries=$(( $2 * 10 ))
  for _ in $(seq 1 "$tries"); do
    if screen | grep -q -E -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "timed out after $2 s waiting for: $1"
  echo "---- screen ----"; screen; echo "----------------"
  exit 1
}

tmux new-session -d -s "$session" -x 150 -y 50 "env HOME=$home TERM=xterm-256color $retort"
wait_for '\[1\]>' 15

# A definition.
tmux send-keys -t "$session" 'digits = load "digits"' Enter
wait_for '\[2\]>' 15

# Tab completes a command name.
tmux send-keys -t "$session" 'train_set, test_set = spl' Tab
wait_for 'test_set = split' 5
tmux send-keys -t "$session" 'digits 0.8' Enter
wait_for '\[3\]>' 15
tmux send-keys -t "$session" 'm = mlp [64, 128, 10]' Enter
wait_for '\[4\]>' 15

# History: the up arrow recalls the previous entry.
tmux send-keys -t "$session" Up
wait_for '\[4\]> m = mlp \[64, 128, 10\]' 5
tmux send-keys -t "$session" C-u

# Ctrl-C while typing clears the line and keeps the session.
tmux send-keys -t "$session" 'half typed'
tmux send-keys -t "$session" C-c
sleep 0.3

# A long training, stopped with Ctrl-C at a step boundary.
tmux send-keys -t "$session" 'train m on train_set epochs=100000' Enter
wait_for 'epoch +[0-9]+' 30
tmux send-keys -t "$session" C-c
wait_for 'interrupted' 30
wait_for '\[5\]>' 30

# The model is intact and still evaluates; the history file was written.
tmux send-keys -t "$session" 'evaluate m on test_set' Enter
wait_for 'accuracy' 30
tmux send-keys -t "$session" C-d
sleep 0.5
grep -q 'digits = load "digits"' "$home/.retort_history" || {
  echo "history file missing the first entry"; exit 1; }
echo "repl under tmux: ok"
