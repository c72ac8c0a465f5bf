package appeal

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzAttachmentName: whatever name a browser sends, an accepted one is a
// single element of at most 200 characters, without separators or control
// characters, of a kind that is taken.
func FuzzAttachmentName(f *testing.F) {
	for _, s := range []string{"照片.png", `C:\a\b.pdf`, "../../etc/passwd", "a.HTML", "x.jpg\x00.html", " .txt ", "", "a/b/", "文件.docx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name, ext, err := attachmentName(in)
		if err != nil {
			return
		}
		if strings.ContainsAny(name, `/\`) || strings.IndexFunc(name, unicode.IsControl) >= 0 ||
			!utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 {
			t.Fatalf("%q accepted as %q", in, name)
		}
		if _, ok := attachmentKinds[ext]; !ok || !strings.HasSuffix(strings.ToLower(name), ext) {
			t.Fatalf("%q accepted as %q of kind %q", in, name, ext)
		}
	})
}
