package policy

import (
	"os"
	"sync"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
)

var (
	shippedOnce sync.Once
	shipped     *Library
	shippedErr  error
)

// shippedLibrary loads the library of ../../policies once per test binary.
func shippedLibrary(tb testing.TB) *Library {
	tb.Helper()
	shippedOnce.Do(func() { shipped, shippedErr = LoadDir("../../policies", facts.Builtin()) })
	if shippedErr != nil {
		tb.Fatalf("loading the shipped library: %v", shippedErr)
	}
	return shipped
}

// recordFromFile reads one record of the data contract.
func recordFromFile(tb testing.TB, name string) facts.Record {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rec facts.Record
	if err := facts.DecodeRecords(f, name, facts.Builtin(), func(r facts.Record) error { rec = r; return nil }); err != nil {
		tb.Fatal(err)
	}
	return rec
}
