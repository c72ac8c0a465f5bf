package tech

import (
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/exchange"
)

// Limits of an uploaded or named file: a catalogue of 100,000 achievements
// with their abstracts fits well within them.
const (
	maxFileBytes = 256 << 20
	maxRows      = 1_000_000
)

// table is a file read by its header row: the column of each known name,
// and the rows with their line (CSV) or row (XLSX) numbers.
type table struct {
	file    string
	cols    map[string]int
	ignored []string
	rows    [][]string
	lines   []int
}

// cell returns the trimmed value of a column in row i, "" when the row is
// shorter or the column absent.
func (t *table) cell(i int, col string) string {
	c, ok := t.cols[col]
	if !ok || c >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

// columnAliases are the Chinese headers people give the columns.
var columnAliases = map[string]string{
	"编号": "code", "成果编号": "code", "需求编号": "code", "代码": "code",
	"名称": "title", "成果名称": "title", "需求名称": "title", "标题": "title",
	"持有单位": "holder", "持有人": "holder", "成果持有方": "holder", "完成单位": "holder",
	"领域": "field", "技术领域": "field", "所属领域": "field",
	"关键词": "keywords", "关键字": "keywords",
	"摘要": "abstract", "简介": "abstract", "成果简介": "abstract",
	"成熟度": "maturity", "技术成熟度": "maturity",
	"转化方式": "transfer_mode", "合作方式": "transfer_mode",
	"知识产权": "ip_numbers", "专利号": "ip_numbers",
	"联系人": "contact", "电话": "phone", "联系电话": "phone", "邮箱": "email",
	"价格": "price", "转让价格": "price",
	"企业": "enterprise", "企业名称": "enterprise", "需求企业": "enterprise",
	"描述": "description", "需求描述": "description", "需求内容": "description",
	"行业": "industry", "行业代码": "industry",
	"预算": "budget", "期限": "wanted_by", "完成期限": "wanted_by",
}

func normalizeColumn(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF"))
	if a, ok := columnAliases[s]; ok {
		return a
	}
	return strings.ReplaceAll(strings.ToLower(s), " ", "_")
}

// readTable reads a CSV or XLSX file (by its name's extension) whose first
// non-blank row is the header. required and optional are the columns the
// caller knows; a required column missing is a problem on row 1, other
// columns are listed as ignored.
func readTable(name string, data []byte, required, optional []string) (*table, []apperr.Problem) {
	if len(data) > maxFileBytes {
		return nil, []apperr.Problem{{File: name, Reason: fmt.Sprintf("larger than %d MB", maxFileBytes>>20)}}
	}
	rows, lines, prob := exchange.ReadRows(name, data, maxRows+1)
	if len(prob) > 0 {
		return nil, prob
	}
	if len(rows) == 0 {
		return nil, []apperr.Problem{{File: name, Reason: "the file is empty: want a header row (" + strings.Join(required, ",") + ")"}}
	}
	t := &table{file: name, cols: map[string]int{}}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	for i, h := range rows[0] {
		c := normalizeColumn(h)
		switch {
		case c == "":
		case !known[c]:
			t.ignored = append(t.ignored, strings.TrimSpace(h))
		case hasKey(t.cols, c):
			prob = append(prob, apperr.Problem{File: name, Row: lines[0], Field: c, Reason: "the column appears twice"})
		default:
			t.cols[c] = i
		}
	}
	for _, c := range required {
		if !hasKey(t.cols, c) {
			prob = append(prob, apperr.Problem{File: name, Row: lines[0], Field: c,
				Reason: "missing column; the header must have " + strings.Join(required, ",")})
		}
	}
	if len(prob) > 0 {
		return nil, prob
	}
	t.rows, t.lines = rows[1:], lines[1:]
	if len(t.rows) > maxRows {
		return nil, []apperr.Problem{{File: name, Reason: fmt.Sprintf("more than %d rows", maxRows)}}
	}
	return t, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }
