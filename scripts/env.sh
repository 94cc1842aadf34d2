# Sourced by the scripts: shared settings for host builds.
# Host crates must build on rustc 1.95; let cargo pick versions that fit.
export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
# Build caches live outside the checkout so a fresh clone reuses them.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/bitticket/target}
export CARGO_TARGET_DIR_SBF=${CARGO_TARGET_DIR_SBF:-$HOME/.cache/bitticket/sbf-target}
export SBF_HOME=${SBF_HOME:-$HOME/.cache/sbf-toolchain}
