#!/bin/sh
# Runs every script test (tests/scripts/*.cosh) with cosh under valgrind
# memcheck, through tests/run-script.sh, and fails on any memory error or
# any definitely, indirectly or possibly lost block, in cosh or in any cosh
# it forks (subshells, pipeline stages, $( ), jobs: a fork
# stays under valgrind).  Programs cosh executes (cat, python3, ...) run
# natively (--trace-children=no): they are not ours to check.  Memory still
# reachable at exit is not a failure: readline keeps its tables to the end.
#
# Usage: COSH=/path/to/cosh SRCDIR=/path/to/source tests/valgrind.sh [NAME...]
# (NAME: a script test name without .cosh; default all).  `make
# check-valgrind` runs it.  VALGRIND_JOBS (default 2) tests run at once.
#
# Two tests start cosh again through /proc/PID/exe (a script without #!,
# and the test that runs the binary it finds there), which under valgrind
# names valgrind's own tool, not cosh: they are listed in ODD below and
# still checked for memory errors, but a difference in their output is only
# reported.  Every other test must pass as under make check.
#
# All processes of one test append to one log (a log per process, %p,
# runs out of the fds valgrind keeps for itself in deep $( ) recursion);
# each process ends its log with an ERROR SUMMARY, leaks counted as errors.
: "${COSH:?COSH must name the cosh binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
LC_ALL=C
export LC_ALL

if ! command -v valgrind > /dev/null 2>&1; then
	echo "valgrind not found" >&2
	exit 1
fi

ODD="status-no-shebang cowait-removes"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cosh-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/logs" "$scratch/results"

# run-script.sh runs $COSH with a cleared environment: the wrapper carries
# absolute paths.
cat > "$scratch/cosh" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full \\
	--show-leak-kinds=definite,indirect,possible \\
	--errors-for-leak-kinds=definite,indirect,possible \\
	--error-exitcode=99 --trace-children=no --child-silent-after-fork=no \\
	--track-fds=no --num-callers=30 \\
	--log-file="$scratch/logs/\$COSH_VG_TEST" "$COSH" "\$@"
EOF
chmod +x "$scratch/cosh"

if [ $# -gt 0 ]; then
	for n in "$@"; do echo "$n"; done > "$scratch/list"
else
	for f in "$SRCDIR"/tests/scripts/*.cosh; do basename "$f" .cosh; done > "$scratch/list"
fi
total=$(wc -l < "$scratch/list")

# one test: run it, keep run-script.sh's verdict
cat > "$scratch/one" <<EOF
#!/bin/sh
name=\$1
# a copy of the wrapper per test, with the test's name in its log's name
sed "s/\\\$COSH_VG_TEST/\$name/" "$scratch/cosh" > "$scratch/cosh.\$name"
chmod +x "$scratch/cosh.\$name"
COSH="$scratch/cosh.\$name" sh "$SRCDIR/tests/run-script.sh" "$SRCDIR/tests/scripts/\$name.cosh" \\
	> "$scratch/results/\$name" 2>&1
echo \$? > "$scratch/results/\$name.status"
EOF
chmod +x "$scratch/one"

echo "valgrind: $total script tests, ${VALGRIND_JOBS:-2} at a time"
xargs -P "${VALGRIND_JOBS:-2}" -n 1 "$scratch/one" < "$scratch/list"

failed=0
differ=0
processes=0
while read -r name; do
	log="$scratch/logs/$name"
	n=$(grep -c 'ERROR SUMMARY:' "$log" 2>/dev/null)
	processes=$((processes + ${n:-0}))
	# errors (leaks included) in any process (one that ends by exec or by
	# a signal writes no summary: `exec cat`, a killed subshell)
	if grep 'ERROR SUMMARY:' "$log" | grep -qv 'ERROR SUMMARY: 0 errors' ||
		grep -q 'definitely lost: [1-9]\|indirectly lost: [1-9]\|possibly lost: [1-9]' "$log"; then
		echo "FAIL: $name: valgrind reports"
		sed 's/^/  /' "$log"
		failed=$((failed + 1))
	fi
	if [ "$(cat "$scratch/results/$name.status")" != 0 ]; then
		case " $ODD " in
		*" $name "*)
			echo "note: $name: output differs under valgrind (runs /proc/PID/exe), memory checked"
			differ=$((differ + 1))
			;;
		*)
			echo "FAIL: $name: the test fails under valgrind"
			sed 's/^/  /' "$scratch/results/$name"
			failed=$((failed + 1))
			;;
		esac
	fi
done < "$scratch/list"

echo "valgrind: $total tests, $processes cosh processes checked" \
	"(forked shells included): $failed failed; $differ with output noted above"
[ "$failed" = 0 ]
