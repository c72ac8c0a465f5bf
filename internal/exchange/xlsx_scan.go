package exchange

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// A workbook is scanned before excelize opens it: every worksheet and the
// shared strings are unpacked once, as a stream, through a small scanner of
// XML that counts what excelize would otherwise hold in memory whole. A
// cell of a gigabyte, or a gigabyte of white space between two rows, is a
// single token to an XML decoder: excelize would read it into memory (and
// into its temporary files), taking minutes and gigabytes. The scanner
// refuses such a workbook after reading no more than the limit, naming the
// sheet and the row, in memory that does not grow with the input.

// workbookLimits bound what a workbook to import may hold. The defaults
// are a spreadsheet program's own limits (Excel's: 32,767 characters in a
// cell, 1,048,576 rows, 16,384 columns), and sizes no park's data reaches:
// a million fact rows are about 150 MB of sheet XML.
type workbookLimits struct {
	cellChars     int   // characters of one cell, one shared string, or one run of text anywhere
	rows          int   // rows of a sheet, and the highest row number
	cells         int   // cells of a row, and the highest column number
	sharedStrings int   // entries of the shared strings table
	sheetBytes    int64 // unpacked bytes of the worksheets and shared strings together
	tagBytes      int   // one tag, comment or processing instruction
}

var defaultWorkbookLimits = workbookLimits{
	cellChars:     32767,
	rows:          1048576,
	cells:         16384,
	sharedStrings: 2_000_000,
	sheetBytes:    maxUnzipped,
	tagBytes:      64 << 10,
}

// scanWorkbook checks the worksheets and the shared strings of a workbook
// against the limits. It returns the first problem found, located by sheet
// and row where it can be, or nil. A workbook it cannot make sense of (no
// workbook part, a broken zip entry) is left to excelize to report.
func scanWorkbook(zr *zip.Reader, lim workbookLimits) *apperr.Problem {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	sheets := worksheetParts(parts)
	budget := &byteBudget{left: lim.sheetBytes}
	badShared := -1
	if sst, ok := parts["xl/sharedstrings.xml"]; ok {
		var p *apperr.Problem
		badShared, p = scanSharedStrings(sst, lim, budget)
		if p != nil {
			return p
		}
	}
	for _, s := range sheets {
		v := &sheetScan{lim: lim, sheet: s.name, badShared: badShared}
		if p := scanPart(s.file, lim, budget, v, func(reason string) *apperr.Problem {
			return &apperr.Problem{Sheet: s.name, Row: v.row, Reason: reason}
		}); p != nil {
			return p
		}
		if v.problem != nil {
			return v.problem
		}
	}
	if badShared >= 0 {
		return &apperr.Problem{Reason: fmt.Sprintf("the shared string %d (used by no cell) holds more than %s characters, more than a spreadsheet cell holds: the workbook is damaged or was not made by a spreadsheet program",
			badShared, thousands(lim.cellChars))}
	}
	return nil
}

// sheetPart is a worksheet and the name it has in the workbook.
type sheetPart struct {
	name string
	file *zip.File
}

// worksheetParts returns the workbook's worksheets in the workbook's order,
// named as the workbook names them, then any other part under
// xl/worksheets/ (named by its path): excelize reads a sheet from wherever
// the workbook's relationships point.
func worksheetParts(parts map[string]*zip.File) []sheetPart {
	var out []sheetPart
	seen := map[string]bool{}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	// Both parts are small: checkZip held them to 16 MB.
	if readXMLPart(parts["xl/workbook.xml"], &book) && readXMLPart(parts["xl/_rels/workbook.xml.rels"], &rels) {
		targets := map[string]string{}
		for _, r := range rels.Rels {
			t := strings.ReplaceAll(r.Target, "\\", "/")
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join("xl", t)
			}
			targets[r.ID] = strings.ToLower(t)
		}
		for _, s := range book.Sheets {
			if f, ok := parts[targets[s.ID]]; ok && !seen[targets[s.ID]] {
				seen[targets[s.ID]] = true
				out = append(out, sheetPart{name: s.Name, file: f})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		if strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !seen[name] {
			seen[name] = true
			out = append(out, sheetPart{name: parts[name].Name, file: parts[name]})
		}
	}
	return out
}

func readXMLPart(f *zip.File, v any) bool {
	if f == nil || f.UncompressedSize64 > maxInMemoryPart {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxInMemoryPart)).Decode(v) == nil
}

// byteBudget is what is left of the unpacked bytes the scanned parts may
// take together.
type byteBudget struct{ left int64 }

// scanPart runs the scanner over one part. at locates a problem of the
// scanner itself (a tag too long, a run of text too long, too many bytes)
// where the visitor has got to.
func scanPart(f *zip.File, lim workbookLimits, budget *byteBudget, v xmlVisitor, at func(reason string) *apperr.Problem) *apperr.Problem {
	rc, err := f.Open()
	if err != nil {
		return &apperr.Problem{Reason: fmt.Sprintf("the workbook is malformed: its part %q cannot be unpacked", f.Name)}
	}
	defer rc.Close()
	sc := xmlScanner{lim: lim, v: v}
	err = sc.scan(&budgetReader{r: rc, budget: budget})
	var tooBig errTooBig
	switch {
	case err == nil, errors.Is(err, errStop):
		return nil
	case errors.As(err, &tooBig):
		return at(string(tooBig))
	case errors.Is(err, errOverBudget):
		return at(fmt.Sprintf("the workbook's sheets unpack to more than %d MB: split it into several workbooks", lim.sheetBytes>>20))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zip.ErrFormat) {
		return &apperr.Problem{Reason: fmt.Sprintf("the workbook is malformed: its part %q does not unpack to the size it declares", f.Name)}
	}
	return &apperr.Problem{Reason: fmt.Sprintf("the workbook is malformed: its part %q is corrupt (%v)", f.Name, err)}
}

var errOverBudget = errors.New("over the byte budget")

// budgetReader reads a part, counting its bytes against the budget.
type budgetReader struct {
	r      io.Reader
	budget *byteBudget
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.budget.left -= int64(n)
	if b.budget.left < 0 {
		return n, errOverBudget
	}
	return n, err
}

// errTooBig is a limit the scanner or a visitor met; its text is the
// reason shown.
type errTooBig string

func (e errTooBig) Error() string { return string(e) }

// errStop ends a scan early without a problem.
var errStop = errors.New("stop")

// xmlVisitor is told what the scanner finds. name is the element's local
// name; tag is the whole tag without its angle brackets, for attributes.
// text is part of a run of character data with the number of characters it
// holds (an entity counts as one); it is only valid during the call.
type xmlVisitor interface {
	start(name string, tag []byte, selfClosing bool) error
	end(name string) error
	text(raw []byte, chars int) error
}

// xmlScanner is a scanner of XML that keeps nothing but the current tag:
// text is counted and passed on in pieces, never gathered. It is not a
// parser: malformed XML is left for excelize's parser to report; what it
// does is bound every token that parser would build.
type xmlScanner struct {
	lim workbookLimits
	v   xmlVisitor
}

// The scanner's states.
const (
	inText = iota
	inTag
	inComment // <!-- … -->
	inCData   // <![CDATA[ … ]]>
	inDecl    // <? … ?> and <! … >
)

func (s *xmlScanner) scan(r io.Reader) error {
	buf := make([]byte, 64<<10)
	tag := make([]byte, 0, 256)
	state := inText
	var quote byte
	runChars := 0     // characters of the current run of text
	entity := 0       // bytes into an entity (&…;), 0 outside one
	tail := [2]byte{} // the last two bytes of a comment or CDATA section
	for {
		n, readErr := r.Read(buf)
		chunk := buf[:n]
		textStart := -1 // where the text of this chunk began, for the visitor
		if state == inText || state == inCData {
			textStart = 0
		}
		flush := func(end int, chars int) error {
			if textStart < 0 || end <= textStart {
				return nil
			}
			err := s.v.text(chunk[textStart:end], chars)
			textStart = -1
			return err
		}
		pending := 0 // characters counted in this chunk not yet passed on
		for i := 0; i < len(chunk); i++ {
			c := chunk[i]
			switch state {
			case inText:
				if c == '<' {
					if err := flush(i, pending); err != nil {
						return err
					}
					pending, runChars, entity = 0, 0, 0
					state, tag = inTag, tag[:0]
					continue
				}
				if entity > 0 {
					entity++
					if c == ';' || entity > 12 {
						entity = 0
					}
					continue
				}
				if c == '&' {
					entity = 1
				} else if c&0xC0 == 0x80 {
					continue // a continuation byte of a character already counted
				}
				pending++
				runChars++
				if runChars > s.lim.cellChars {
					return errTooBig(fmt.Sprintf("a text of more than %s characters, more than a spreadsheet cell holds: the workbook is damaged or was not made by a spreadsheet program", thousands(s.lim.cellChars)))
				}
			case inTag:
				if quote != 0 {
					if c == quote {
						quote = 0
					}
				} else if c == '"' || c == '\'' {
					quote = c
				} else if c == '>' {
					if err := s.endTag(tag); err != nil {
						return err
					}
					state = inText
					textStart = i + 1
					continue
				}
				tag = append(tag, c)
				if len(tag) > s.lim.tagBytes {
					return errTooBig(fmt.Sprintf("a tag of more than %d KB: the workbook is damaged or was not made by a spreadsheet program", s.lim.tagBytes>>10))
				}
				// Other declarations (<!DOCTYPE …>) end at their '>' as
				// tags do.
				switch {
				case len(tag) == 3 && string(tag) == "!--":
					state, tail = inComment, [2]byte{}
				case len(tag) == 8 && string(tag) == "![CDATA[":
					state, tail = inCData, [2]byte{}
					textStart = i + 1
				case len(tag) == 1 && c == '?':
					state, tail = inDecl, [2]byte{}
				}
			case inComment, inDecl:
				tag = append(tag, c)
				if len(tag) > s.lim.tagBytes {
					return errTooBig(fmt.Sprintf("a comment or instruction of more than %d KB: the workbook is damaged or was not made by a spreadsheet program", s.lim.tagBytes>>10))
				}
				if c == '>' && (state == inDecl && tail[1] == '?' || state == inComment && tail == [2]byte{'-', '-'}) {
					state = inText
					textStart = i + 1
				}
				tail = [2]byte{tail[1], c}
			case inCData:
				if c == '>' && tail == [2]byte{']', ']'} {
					// The two ']' were passed on as text; the scanner
					// counts them, which errs on the safe side.
					if err := flush(i, pending); err != nil {
						return err
					}
					pending = 0
					state = inText
					textStart = i + 1
					tail = [2]byte{}
					continue
				}
				tail = [2]byte{tail[1], c}
				if c&0xC0 == 0x80 {
					continue
				}
				pending++
				runChars++
				if runChars > s.lim.cellChars {
					return errTooBig(fmt.Sprintf("a text of more than %s characters, more than a spreadsheet cell holds: the workbook is damaged or was not made by a spreadsheet program", thousands(s.lim.cellChars)))
				}
			}
		}
		if state == inText || state == inCData {
			if err := flush(len(chunk), pending); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			return nil
		}
		if readErr != nil {
			return readErr
		}
	}
}

// endTag tells the visitor of a complete tag.
func (s *xmlScanner) endTag(tag []byte) error {
	if len(tag) == 0 || tag[0] == '!' || tag[0] == '?' {
		return nil
	}
	if tag[0] == '/' {
		return s.v.end(localName(tag[1:]))
	}
	self := tag[len(tag)-1] == '/'
	return s.v.start(localName(tag), tag, self)
}

// localName returns the element name at the start of a tag, without its
// namespace prefix.
func localName(tag []byte) string {
	end := 0
	for end < len(tag) && !isSpace(tag[end]) && tag[end] != '/' {
		end++
	}
	name := tag[:end]
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ':' {
			return string(name[i+1:])
		}
	}
	return string(name)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attr returns the value of the attribute want (by its local name) of a
// tag, as written (entities are not expected in the numbers and codes it
// is asked for).
func attr(tag []byte, want string) (string, bool) {
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	for i < len(tag) {
		for i < len(tag) && (isSpace(tag[i]) || tag[i] == '/') {
			i++
		}
		start := i
		for i < len(tag) && tag[i] != '=' && !isSpace(tag[i]) {
			i++
		}
		name := tag[start:i]
		if j := strings.LastIndexByte(string(name), ':'); j >= 0 {
			name = name[j+1:]
		}
		for i < len(tag) && (isSpace(tag[i]) || tag[i] == '=') {
			i++
		}
		if i >= len(tag) || tag[i] != '"' && tag[i] != '\'' {
			return "", false
		}
		q := tag[i]
		i++
		vstart := i
		for i < len(tag) && tag[i] != q {
			i++
		}
		if string(name) == want {
			return string(tag[vstart:min(i, len(tag))]), true
		}
		i++
	}
	return "", false
}

// sheetScan visits a worksheet: it counts rows and cells, adds up the
// characters of each cell, and looks for cells that use a shared string
// found too long.
type sheetScan struct {
	lim       workbookLimits
	sheet     string
	badShared int // index of a shared string over the limit, or -1

	rows, row  int // rows seen, and the current row's number
	cells      int // cells of the current row
	inCell     bool
	cellChars  int
	cellShared bool // the cell's value is an index into the shared strings
	inV        bool
	v          []byte
	problem    *apperr.Problem
}

func (s *sheetScan) fail(reason string) error {
	s.problem = &apperr.Problem{Sheet: s.sheet, Row: s.row, Reason: reason}
	return errStop
}

func (s *sheetScan) start(name string, tag []byte, self bool) error {
	switch name {
	case "row":
		s.rows++
		if s.rows > s.lim.rows {
			s.row++
			return s.fail(fmt.Sprintf("the sheet has more than %s rows, the most a spreadsheet holds", thousands(s.lim.rows)))
		}
		if r, ok := attr(tag, "r"); ok {
			n, err := strconv.Atoi(r)
			if err != nil || n < 1 || n > s.lim.rows {
				return s.fail(fmt.Sprintf("row number %.20q is not a row of a spreadsheet (1 to %s)", r, thousands(s.lim.rows)))
			}
			s.row = n
		} else {
			s.row++
		}
		s.cells = 0
	case "c":
		s.cells++
		if s.cells > s.lim.cells {
			return s.fail(fmt.Sprintf("the row has more than %s cells, the most a spreadsheet row holds", thousands(s.lim.cells)))
		}
		if ref, ok := attr(tag, "r"); ok {
			if col := columnOf(ref); col < 1 || col > s.lim.cells {
				return s.fail(fmt.Sprintf("cell %.20q is beyond the last column of a spreadsheet", ref))
			}
		}
		t, _ := attr(tag, "t")
		s.cellShared = t == "s"
		s.inCell, s.cellChars = !self, 0
	case "v":
		if s.inCell && !self {
			s.inV, s.v = true, s.v[:0]
		}
	}
	return nil
}

func (s *sheetScan) end(name string) error {
	switch name {
	case "c":
		s.inCell = false
	case "v":
		if s.inV && s.cellShared && s.badShared >= 0 {
			if i, err := strconv.Atoi(strings.TrimSpace(string(s.v))); err == nil && i == s.badShared {
				return s.fail(fmt.Sprintf("a cell holds more than %s characters, more than a spreadsheet cell holds: the workbook is damaged or was not made by a spreadsheet program", thousands(s.lim.cellChars)))
			}
		}
		s.inV = false
	}
	return nil
}

func (s *sheetScan) text(raw []byte, chars int) error {
	if s.inCell {
		s.cellChars += chars
		if s.cellChars > s.lim.cellChars {
			return s.fail(fmt.Sprintf("a cell holds more than %s characters, more than a spreadsheet cell holds: the workbook is damaged or was not made by a spreadsheet program", thousands(s.lim.cellChars)))
		}
	}
	if s.inV && len(s.v) < 32 {
		s.v = append(s.v, raw[:min(len(raw), 32-len(s.v))]...)
	}
	return nil
}

// columnOf returns the column number of a cell reference ("XFD5" is
// 16384), or 0 when it does not start with letters.
func columnOf(ref string) int {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			if i == 0 {
				return 0
			}
			break
		}
		if i >= 3 {
			return 1 << 20 // more letters than any column has
		}
		col = col*26 + int(c-'a'+1)
	}
	return col
}

// sstScan visits the shared strings: it counts them and adds up the
// characters of each, all of its runs of rich text together.
type sstScan struct {
	lim     workbookLimits
	count   int
	inSI    bool
	chars   int
	bad     int // the first entry over the limit, or -1
	tooMany bool
}

func (s *sstScan) start(name string, _ []byte, self bool) error {
	if name != "si" {
		return nil
	}
	s.count++
	if s.count > s.lim.sharedStrings {
		s.tooMany = true
		return errStop
	}
	s.inSI, s.chars = !self, 0
	return nil
}

func (s *sstScan) end(name string) error {
	if name == "si" {
		s.inSI = false
	}
	return nil
}

func (s *sstScan) text(_ []byte, chars int) error {
	if !s.inSI {
		return nil
	}
	s.chars += chars
	if s.chars > s.lim.cellChars {
		s.bad = s.count - 1 // shared strings are numbered from 0
		return errStop
	}
	return nil
}

// scanSharedStrings scans the shared strings table and returns the index
// of an entry over the limit (-1 for none), to be found in the sheets.
func scanSharedStrings(f *zip.File, lim workbookLimits, budget *byteBudget) (int, *apperr.Problem) {
	v := &sstScan{lim: lim, bad: -1}
	if p := scanPart(f, lim, budget, v, func(reason string) *apperr.Problem {
		if v.inSI && strings.HasPrefix(reason, "a text of") {
			// One run of the entry is over the limit already: the
			// entry is, and the sheets say where it is used.
			v.bad = v.count - 1
			return nil
		}
		return &apperr.Problem{Reason: "the shared strings: " + reason}
	}); p != nil {
		return -1, p
	}
	if v.tooMany {
		return -1, &apperr.Problem{Reason: fmt.Sprintf("the workbook holds more than %s different texts (shared strings): split it into several workbooks", thousands(lim.sharedStrings))}
	}
	return v.bad, nil
}

// thousands writes n with thousands separators: 1,048,576.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
