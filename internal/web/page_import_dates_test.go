package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestImportPageImplausibleDates: an upload with registration dates the
// database would refuse gets the import page with every bad row, never an
// internal error (issue 11, point 8).
func TestImportPageImplausibleDates(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if err := facts.SeedDictionary(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	app, _ := signInFixture(t, db)
	srv := httptest.NewServer(app)
	defer srv.Close()
	c, token := officerClient(t, srv)

	csv := "uscc,name,registered_on,industry_code,park,tags\n" +
		enterprise.MakeUSCC("330106", 1) + ",甲,0000-01-01,,,\n" +
		enterprise.MakeUSCC("330106", 2) + ",乙,9999-12-31,,,\n" +
		enterprise.MakeUSCC("330106", 3) + ",丙,3000-01-01,,,\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	fw, _ := mw.CreateFormFile("files", "dates.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d, want 422 with the rows' problems\n%.600s", res.StatusCode, page)
	}
	for _, want := range []string{"0000-01-01", "9999-12-31", "3000-01-01"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page does not name %s", want)
		}
	}
	if strings.Contains(string(page), "CHECK") || strings.Contains(string(page), "constraint") {
		t.Errorf("the page shows a database error")
	}
}
