#!/bin/bash -eu
# Builds every fuzz target of xous-host, and those of servers kept outside
# the tree (through the installed kit), into $OUT, with their seed corpora:
# OSS-Fuzz's and ClusterFuzzLite's build script (docs/fuzzing.md).
#
# Their builder image sets what it reads: SRC (the checkout is
# $SRC/xous-host), OUT, WORK, CC, CFLAGS and LIB_FUZZING_ENGINE (libFuzzer:
# -fsanitize=fuzzer; AFL++: its driver, with CC=afl-clang-fast). It runs
# outside a container just as well, given those (ctest fuzz.oss_fuzz_build).
#   XOUS_FUZZ_TARGETS       only these of the tree's targets (default: all)
#   XOUS_FUZZ_KIT_PROJECTS  folders of servers kept outside the tree, each a
#                           CMake project with xous_fuzz_dispatch() lines
#                           (default: the kit's example, tests/install/kit;
#                           "none": the tree's targets only)
#   XOUS_FUZZ_KIT_PREFIX    an installed kit to build them against (default:
#                           this build, installed into $WORK/kit-prefix)
src=$SRC/xous-host
build=$WORK/xous-build
projects=${XOUS_FUZZ_KIT_PROJECTS:-$src/tests/install/kit}
[ "$projects" != none ] || projects=
mkdir -p "$OUT/lib" "$build"

# The binaries find the shared libraries they need in $OUT/lib (the
# runner image has neither libxous-host nor libprotobuf-c).
common=(-DXOUS_FUZZ=ON "-DXOUS_FUZZ_ENGINE=$LIB_FUZZING_ENGINE" -DXOUS_WERROR=OFF
  -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS=$CFLAGS"
  "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-rpath,\$ORIGIN/lib")

# copy_out LIST: each target's binary and seed corpus into $OUT, the
# libraries it links from outside the system into $OUT/lib.
copy_out() {
  local name bin seeds lib
  while IFS=$'\t' read -r name bin seeds; do
    [ -n "$name" ] || continue
    cp "$bin" "$OUT/$name"
    if [ -f "$seeds" ]; then cp "$seeds" "$OUT/"; fi
    for lib in $(ldd "$bin" | awk '/=> \// {print $3}' | grep -E 'libxous-host|libprotobuf-c'); do
      cp -L "$lib" "$OUT/lib/"
    done
  done <"$1"
}

cmake -S "$src" -B "$build" -DXOUS_KERNEL_RISCV=OFF "${common[@]}" >/dev/null
if [ -n "${XOUS_FUZZ_TARGETS:-}" ]; then
  list=$WORK/xous-fuzz-targets.txt
  : >"$list"
  for t in $XOUS_FUZZ_TARGETS; do
    grep -P "^\Q$t\E\t" "$build/xous-fuzz-targets.txt" >>"$list" ||
      { echo "build.sh: no fuzz target $t" >&2; exit 1; }
    cmake --build "$build" --target "fuzz_$t" -j"$(nproc)" >/dev/null
  done
else
  list=$build/xous-fuzz-targets.txt
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi
copy_out "$list"

[ -n "$projects" ] || exit 0
prefix=${XOUS_FUZZ_KIT_PREFIX:-}
if [ -z "$prefix" ]; then
  prefix=$WORK/kit-prefix
  cmake --build "$build" -j"$(nproc)" >/dev/null
  cmake --install "$build" --prefix "$prefix" >/dev/null
fi
n=0
for p in $projects; do
  n=$((n + 1))
  kb=$WORK/kit-$n
  cmake -S "$p" -B "$kb" "-DCMAKE_PREFIX_PATH=$prefix" "${common[@]}" >/dev/null
  cmake --build "$kb" -j"$(nproc)" >/dev/null
  copy_out "$kb/xous-fuzz-targets.txt"
done
