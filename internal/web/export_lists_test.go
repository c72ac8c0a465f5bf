package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// sheetRows opens a downloaded workbook and returns its first sheet.
func sheetRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestListsExportToExcel: the enterprises, a policy's results and the
// touch requests download as workbooks of every row the page would show,
// in the reader's language, with formula-like text neutralised.
func TestListsExportToExcel(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	if _, err := f.db.Exec(ctx, "UPDATE enterprises SET name = ? WHERE id = ?", `=HYPERLINK("http://x")`, f.entB); err != nil {
		t.Fatal(err)
	}
	mustMatch(t, f.db, fixtureNow)
	officer := f.as[auth.RoleOfficer]

	w := f.get(t, officer, "zh-CN", "/enterprises.xlsx")
	if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("content type %q", ct)
	}
	rows := sheetRows(t, w.Body.Bytes())
	found := false
	for _, r := range rows[1:] {
		found = found || r[1] == `'=HYPERLINK("http://x")`
	}
	if len(rows) != 3 || !found {
		t.Errorf("enterprises: %q, want two rows with the formula-like name quoted", rows)
	}

	w = f.get(t, officer, "zh-CN", "/policies/hnte/results.xlsx?status=undetermined")
	rows = sheetRows(t, w.Body.Bytes())
	if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], "|"), "杭州示例智能科技有限公司") || !strings.Contains(strings.Join(rows[1], "|"), "待确定|") {
		t.Errorf("hnte's undetermined results: %q", rows)
	}

	svc := &touch.Service{DB: f.db, Now: func() time.Time { return fixtureNow }}
	today := workday.Of(fixtureNow)
	if _, err := svc.File(ctx, officer, touch.RequestSpec{EnterpriseID: f.entA, Department: "tax", Kind: touch.KindInspection,
		Basis: "+税务检查", Earliest: today, Latest: today + 20, OnSite: true, Minutes: 60}); err != nil {
		t.Fatal(err)
	}
	rows = sheetRows(t, f.get(t, officer, "zh-CN", "/touch.xlsx").Body.Bytes())
	if len(rows) != 2 || rows[1][4] != "'+税务检查" || rows[1][3] != "行政检查" || rows[1][2] == "tax" {
		t.Errorf("touch requests: %q", rows)
	}
}
