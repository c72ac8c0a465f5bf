package bench

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDomainPackagesStayApart checks the layering that keeps the domain
// packages free of benchmark and demo code: no package under internal/
// other than the demo generator, its memory sampler and this package
// imports internal/demo, internal/heapwatch or internal/bench outside its
// tests.
func TestDomainPackagesStayApart(t *testing.T) {
	const module = "github.com/parkdesk/parkdesk/internal/"
	forbidden := []string{module + "demo", module + "heapwatch", module + "bench"}
	allowed := []string{"demo", "heapwatch", "bench"}
	checked := 0
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		rel := strings.TrimPrefix(filepath.ToSlash(path), "../")
		if slices.Contains(allowed, strings.Split(rel, "/")[0]) {
			return nil
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		checked++
		for _, imp := range pkg.Imports {
			if slices.Contains(forbidden, imp) {
				t.Errorf("internal/%s imports %s", rel, imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked: the walk is wrong", checked)
	}
}
