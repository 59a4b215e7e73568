#!/bin/sh
# Runs one script test: tests/scripts/NAME.cosh through the built cosh, in
# a scratch directory, and compares
#   stdout with NAME.out (required),
#   stderr with NAME.err (empty when there is no NAME.err),
#   the exit status with NAME.status (0 when there is none).
# NAME.in, if present, is standard input (else /dev/null); NAME.args holds
# extra arguments, one per line.  A script containing a line "#@bash" is
# also run by bash, which must print the same stdout and exit status.
# Environment: COSH (the binary), BASH_FOR_TESTS (bash, optional).
test="$1"
dir=$(cd "$(dirname "$test")" && pwd)
name=$(basename "$test" .cosh)
: "${COSH:?COSH must name the cosh binary}"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cosh-test.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/work" "$scratch/home"
cp "$dir/$name.cosh" "$scratch/work/$name.cosh"
[ -d "$dir/data" ] && cp -R "$dir/data" "$scratch/work/data"
input=/dev/null
[ -f "$dir/$name.in" ] && input="$dir/$name.in"

run() { # run SHELL -> $scratch/SHELL.{out,err,status}
	tag=$1
	shift
	set -- "$@" "$name.cosh"
	if [ -f "$dir/$name.args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done < "$dir/$name.args"
	fi
	(cd "$scratch/work" && env -i HOME="$scratch/home" PATH=/usr/local/bin:/usr/bin:/bin \
		LC_ALL=C TERM=dumb TMPDIR="$scratch" "$@" < "$input" \
		> "$scratch/$tag.out" 2> "$scratch/$tag.err")
	echo $? > "$scratch/$tag.status"
}

fail=0
run cosh "$COSH"
if ! cmp -s "$dir/$name.out" "$scratch/cosh.out"; then
	echo "FAIL: stdout differs (- expected, + actual)"
	diff -u "$dir/$name.out" "$scratch/cosh.out" | sed 1,2d
	fail=1
fi
if [ -f "$dir/$name.err" ]; then
	expected_err="$dir/$name.err"
else
	expected_err=/dev/null
fi
if ! cmp -s "$expected_err" "$scratch/cosh.err"; then
	echo "FAIL: stderr differs (- expected, + actual)"
	diff -u "$expected_err" "$scratch/cosh.err" | sed 1,2d
	fail=1
fi
want=0
[ -f "$dir/$name.status" ] && want=$(cat "$dir/$name.status")
got=$(cat "$scratch/cosh.status")
if [ "$want" != "$got" ]; then
	echo "FAIL: exit status $got, expected $want"
	fail=1
fi
if grep -q '^#@bash' "$dir/$name.cosh"; then
	if [ -z "$BASH_FOR_TESTS" ]; then
		echo "note: bash not found, comparison with bash skipped"
	else
		rm -rf "$scratch/work" && mkdir "$scratch/work"
		cp "$dir/$name.cosh" "$scratch/work/$name.cosh"
		[ -d "$dir/data" ] && cp -R "$dir/data" "$scratch/work/data"
		run bash "$BASH_FOR_TESTS"
		if ! cmp -s "$scratch/bash.out" "$scratch/cosh.out" ||
			[ "$(cat "$scratch/bash.status")" != "$got" ]; then
			echo "FAIL: cosh and bash disagree (- bash, + cosh)"
			diff -u "$scratch/bash.out" "$scratch/cosh.out" | sed 1,2d
			echo "bash status $(cat "$scratch/bash.status"), cosh status $got"
			fail=1
		else
			echo "bash agrees"
		fi
	fi
fi
[ "$fail" = 0 ] && echo "PASS: $name"
exit $fail
