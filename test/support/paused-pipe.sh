#!/bin/sh
# Usage: paused-pipe.sh FILE PIDFILE COMMAND [ARG...]
# Pipes FILE into COMMAND the way a streaming writer (`kubectl get` on a live cluster) would: the
# first KB, then a pause, then the rest. The pause lasts until COMMAND has read that KB and waits
# on the empty pipe (its main thread sleeps in the kernel's pipe read, as /proc/PID/wchan shows),
# not for a fixed time, so COMMAND meets the pause on a fast machine and on a loaded one alike.
# Where the kernel does not show wchan, there is no pause. The wait for the reader gives up after
# 3,000 looks (30 s or more) only so that a reader waiting in some other way cannot hang the
# suite; the test's answer never depends on it. Exits with COMMAND's status.
f=$1; pidfile=$2; shift 2
# Does this kernel show where a sleeping process waits? Ask a sleep that is surely asleep.
sleep 60 & probe=$!
while [ -e "/proc/$probe/stat" ] && [ "$(cut -d' ' -f3 "/proc/$probe/stat" 2>/dev/null)" != S ]; do :; done
case "$(cat "/proc/$probe/wchan" 2>/dev/null)" in ''|0) wchan=no ;; *) wchan=yes ;; esac
kill "$probe"
(
  head -c 1000 "$f"
  while [ ! -s "$pidfile" ]; do sleep 0.01; done
  reader=$(cat "$pidfile")
  looks=0
  if [ "$wchan" = yes ]; then
    # pipe: a blocking read of stdin; poll: an event loop waiting on it.
    until grep -Eq 'pipe|poll' "/proc/$reader/wchan" 2>/dev/null || ! kill -0 "$reader" 2>/dev/null || [ "$looks" -ge 3000 ]; do
      sleep 0.01
      looks=$((looks + 1))
    done
  fi
  tail -c +1001 "$f"
) | "$@" &
echo $! > "$pidfile"
wait $!
