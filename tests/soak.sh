#!/bin/sh
# Soak test: 10,000 coprocess cycles in one cosh -- coproc, send, recv
# (alternately in the shell and in a $( ), which goes through the owner's
# channel), close, wait -- every tenth one on a pseudo-terminal (coproc
# -p).  After 1,000 and after 10,000 cycles the shell measures its own
# open file descriptors (/proc/PID/fd), its resident memory (VmRSS in
# /proc/PID/status) and its zombie children.  Passes when the fd count is
# the same, RSS grew by at most RSS_SLACK_KB (default 256 KB: allocator
# noise, not growth per cycle -- a leak of even 30 bytes a cycle shows as
# 270 KB), no zombie was seen, every answer was right and the coprocess
# table is empty at the end.
# Takes about 20 s (longer under a sanitizer).  .ci/run runs it; by hand:
#   COSH=src/cosh tests/soak.sh [CYCLES]
: "${COSH:?COSH must name the cosh binary}"
LC_ALL=C
export LC_ALL
cycles=${1:-10000}
slack=${RSS_SLACK_KB:-256}

if [ ! -r /proc/self/status ]; then
	echo "SKIP: no /proc"
	exit 77
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cosh-soak.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 99

# zombies PID: how many children of PID are zombies (cat, not awk, opens
# the files: a process may end between the glob and the open)
cat > zombies <<'EOF'
cat /proc/[0-9]*/stat 2>/dev/null |
	awk -v p="$1" '{ sub(/^.*\) /, ""); if ($2 == p && $1 == "Z") n++ } END { print n + 0 }'
EOF

cat > soak.cosh <<'EOF'
measure() {
	fds=$(ls /proc/$$/fd | wc -l)
	rss=
	while read -r k v u; do [ "$k" = VmRSS: ] && rss=$v; done < /proc/$$/status
	echo "after $1 cycles: fds $fds rss $rss zombies $(sh ./zombies $$)"
}
i=0
while [ $i -lt $1 ]; do
	if [ $((i % 10)) = 5 ]; then coproc -p c cat; else coproc c cat; fi
	send c "line $i"
	if [ $((i % 2)) = 0 ]; then recv c v; else v=$(recv c); fi
	[ "$v" = "line $i" ] || { echo "cycle $i: got [$v]"; exit 1; }
	close c
	wait c || { echo "cycle $i: wait status $?"; exit 1; }
	i=$((i + 1))
	if [ $i = 1000 ] || [ $i = $1 ]; then measure $i; fi
done
coprocs
echo done
EOF

"$COSH" soak.cosh "$cycles" > out 2> err
status=$?
cat out
fail=0
if [ "$status" != 0 ] || [ -s err ] || [ "$(tail -n 1 out)" != done ] || [ "$(wc -l < out)" != 3 ]; then
	echo "FAIL: the soak script did not run clean (status $status)"
	sed 's/^/  stderr: /' err
	fail=1
fi
set -- $(sed -n 1p out)
fds1=$5 rss1=$7 z1=$9
set -- $(sed -n 2p out)
fds2=$5 rss2=$7 z2=$9
if [ -z "$fds1" ] || [ "$fds1" != "$fds2" ]; then
	echo "FAIL: open fds after 1000 cycles: $fds1, after $cycles: $fds2"
	fail=1
fi
if [ -z "$rss1" ] || [ -z "$rss2" ] || [ $((rss2 - rss1)) -gt "$slack" ]; then
	echo "FAIL: RSS after 1000 cycles: $rss1 KB, after $cycles: $rss2 KB (slack $slack KB)"
	fail=1
fi
if [ "$z1" != 0 ] || [ "$z2" != 0 ]; then
	echo "FAIL: zombie children: $z1 after 1000 cycles, $z2 after $cycles"
	fail=1
fi
if [ "$fail" = 0 ]; then
	echo "PASS: $cycles cycles: fds $fds1 -> $fds2, RSS $rss1 -> $rss2 KB" \
		"(+$((rss2 - rss1)) KB, slack $slack), no zombie"
fi
exit $fail
