package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"
)

// fileReader walks the YAML nodes of one policy file, collecting every
// problem with its position instead of stopping at the first.
type fileReader struct {
	file   string
	raw    []byte
	lines  []int // byte offset of each line's start
	issues []Issue
}

func newFileReader(file string, raw []byte) *fileReader {
	r := &fileReader{file: file, raw: raw, lines: []int{0}}
	for i, b := range raw {
		if b == '\n' {
			r.lines = append(r.lines, i+1)
		}
	}
	return r
}

func (r *fileReader) pos(n *yaml.Node) Position {
	if n == nil {
		return Position{File: r.file, Line: 1, Column: 1}
	}
	return Position{File: r.file, Line: max(n.Line, 1), Column: max(n.Column, 1)}
}

func (r *fileReader) errorf(n *yaml.Node, format string, args ...any) {
	r.issues = append(r.issues, Issue{Pos: r.pos(n), Message: fmt.Sprintf(format, args...)})
}

func (r *fileReader) errorAt(p Position, format string, args ...any) {
	r.issues = append(r.issues, Issue{Pos: p, Message: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads the document, refusing what policy files never need:
// several documents, aliases (which could also multiply the input).
func (r *fileReader) parse() *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(r.raw, &doc); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		r.errorAt(Position{File: r.file, Line: line, Column: 1}, "YAML: %s", strings.TrimPrefix(msg, "yaml: "))
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		r.errorAt(Position{File: r.file, Line: 1, Column: 1}, "the file is empty: want a policy mapping (id, title, criteria …)")
		return nil
	}
	ok := true
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			r.errorf(n, "YAML anchors and aliases are not allowed in policy files")
			ok = false
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc.Content[0])
	if !ok {
		return nil
	}
	return doc.Content[0]
}

// mapping is a YAML mapping read by key, remembering which keys were used.
type mapping struct {
	r      *fileReader
	node   *yaml.Node
	values map[string]*yaml.Node
	keys   map[string]*yaml.Node
	order  []string
}

// mapping checks that n is a mapping whose keys are all among allowed
// (none allowed means any key) and unique.
func (r *fileReader) mapping(n *yaml.Node, what string, allowed ...string) *mapping {
	m := &mapping{r: r, node: n, values: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	if n == nil {
		return m
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, "%s must be a mapping (key: value lines)", what)
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, "%s: keys must be plain names", what)
			continue
		}
		if _, dup := m.values[k.Value]; dup {
			r.errorf(k, "%s: key %q is given twice", what, k.Value)
			continue
		}
		if len(allowed) > 0 && !slices.Contains(allowed, k.Value) {
			r.errorf(k, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(allowed, ", "))
			continue
		}
		m.values[k.Value] = v
		m.keys[k.Value] = k
		m.order = append(m.order, k.Value)
	}
	return m
}

func (m *mapping) get(key string) *yaml.Node { return m.values[key] }

func (m *mapping) required(key, what string) *yaml.Node {
	v := m.values[key]
	if v == nil && m.node != nil && m.node.Kind == yaml.MappingNode {
		m.r.errorf(m.node, "%s: %q is required", what, key)
	}
	return v
}

// scalar returns the text of a scalar node; null and collections are errors.
func (r *fileReader) scalar(n *yaml.Node, what string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, "%s must be a single value", what)
		return "", false
	}
	return n.Value, true
}

func (r *fileReader) text(n *yaml.Node, what string) string {
	s, ok := r.scalar(n, what)
	if ok && strings.TrimSpace(s) == "" {
		r.errorf(n, "%s must not be empty", what)
	}
	return strings.TrimSpace(s)
}

func (r *fileReader) boolean(n *yaml.Node, what string) (bool, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return false, false
	}
	switch s {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	r.errorf(n, "%s must be true or false, not %q", what, s)
	return false, false
}

func (r *fileReader) date(n *yaml.Node, what string) (time.Time, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		r.errorf(n, "%s: %q is not a date (want YYYY-MM-DD)", what, s)
		return time.Time{}, false
	}
	return t, true
}

// decimal reads a number exactly from its text, never through a float.
func (r *fileReader) decimal(n *yaml.Node, what string) (*apd.Decimal, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return nil, false
	}
	d, _, err := apd.NewFromString(strings.ReplaceAll(s, "_", ""))
	if err != nil || d.Form != apd.Finite {
		r.errorf(n, "%s: %q is not a number", what, s)
		return nil, false
	}
	return d, true
}

// texts reads a {zh, en} pair; both are required.
func (r *fileReader) texts(n *yaml.Node, what string) Texts {
	m := r.mapping(n, what, "zh", "en")
	var t Texts
	if zh := m.required("zh", what); zh != nil {
		t.Zh = r.text(zh, what+".zh")
	}
	if en := m.required("en", what); en != nil {
		t.En = r.text(en, what+".en")
	}
	return t
}

// sequence returns the items of a sequence node.
func (r *fileReader) sequence(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "%s must be a list (lines starting with -)", what)
		return nil
	}
	return n.Content
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// exprPosition maps a 0-based rune offset into a scalar's value back to the
// file. Block scalars (|, >), plain and quoted scalars, on one line or
// several, are aligned character by character with the raw text, skipping
// what YAML folded away (indentation, line breaks, the quotes and escapes).
func (r *fileReader) exprPosition(n *yaml.Node, offset int) Position {
	start := r.pos(n)
	if n == nil || n.Line < 1 || n.Line > len(r.lines) {
		return start
	}
	value := []rune(n.Value)
	// Find the byte where the node starts.
	j := r.lines[n.Line-1]
	for col := 1; col < n.Column && j < len(r.raw); col++ {
		_, size := utf8.DecodeRune(r.raw[j:])
		j += size
	}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// Skip the indicator line.
		for j < len(r.raw) && r.raw[j] != '\n' {
			j++
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		j++
	}
	line, col := r.lineCol(j)
	for i := 0; i < len(value) && j < len(r.raw); {
		c, size := utf8.DecodeRune(r.raw[j:])
		if i == offset && c == value[i] {
			return Position{File: r.file, Line: line, Column: col}
		}
		switch {
		case c == value[i]:
			i++
		case value[i] == ' ' || value[i] == '\n':
			// A folded line break or kept blank: consume it from the value
			// only when the raw text is not at a matching character.
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				i++
				continue
			}
		}
		j += size
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	if offset >= len(value) {
		return Position{File: r.file, Line: line, Column: col}
	}
	return start
}

func (r *fileReader) lineCol(byteOffset int) (int, int) {
	line, _ := slices.BinarySearch(r.lines, byteOffset+1)
	col := 1
	for k := r.lines[line-1]; k < byteOffset; {
		_, size := utf8.DecodeRune(r.raw[k:])
		k += size
		col++
	}
	return line, col
}
