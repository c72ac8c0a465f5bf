//go:build !cgo

package store

// parkdesk's SQLite is built from C (mattn/go-sqlite3 through cgo). Without
// cgo — CGO_ENABLED=0, or no C compiler found, in which case Go turns cgo
// off by itself — the driver is a stub that fails at run time; this name
// makes the build fail instead and says what is missing.
var _ = parkdesk_needs_cgo_install_gcc_and_build_with_CGO_ENABLED_1
