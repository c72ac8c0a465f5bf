package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBenchHTTP runs `parkdesk bench http` on a small park: it builds,
// matches and serves it, signs its clients in and prints a line per page.
// The figures themselves are not checked: no test asserts a duration.
func TestBenchHTTP(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"bench", "http", "--enterprises", "60", "--clients", "3", "--requests", "12"}
	if err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{"60 enterprises", "dashboard", "enterprise list, filtered", "enterprise page", "portal", "worst p99:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}
