//go:build ignore

// gen writes zh.txt.gz, the segmentation dictionary embedded in the binary:
// the simplified-Chinese dictionary of github.com/go-ego/gse (from jieba,
// MIT) less person names and idioms, which technical texts do not need and
// which cost a third of the loading time. Run with go generate ./internal/tech/dict
// after changing the gse version in go.mod.
package main

import (
	"bufio"
	"compress/gzip"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		log.Fatalf("locate gse: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "data", "dict", "zh", "s_1.txt")
	in, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	f, err := os.Create("zh.txt.gz")
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	drop := map[string]bool{"nr": true, "nrt": true, "nrfg": true, "i": true}
	sc := bufio.NewScanner(in)
	kept := 0
	for sc.Scan() {
		parts := strings.Fields(sc.Text())
		if len(parts) < 2 || len(parts) >= 3 && drop[parts[2]] {
			continue
		}
		if _, err := zw.Write([]byte(strings.Join(parts, " ") + "\n")); err != nil {
			log.Fatal(err)
		}
		kept++
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("zh.txt.gz: %d words from %s", kept, src)
}
