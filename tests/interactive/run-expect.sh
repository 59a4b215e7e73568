#!/bin/sh
# Runs one terminal test: an expect script driving cosh in a real
# pseudo-terminal.  Usage: run-expect.sh tests/interactive/NAME.exp
if [ -z "$EXPECT" ]; then
	echo "SKIP: expect is not installed (Debian package expect)"
	exit 77
fi
exec "$EXPECT" "$1" "$COSH"
