package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Issue 11, security point 2: a value of a confidential field (tax data)
// must not reach a reader who may not see the field through a result, an
// explanation, a near miss or an amount, any more than through /facts. The
// liaison's enterprise qualifies for the VAT refund on values every
// confidential field holds (distinct numbers, so that each can be looked
// for in every form a page writes it); every role then reads the results
// as JSON and as HTML.
func TestResultsHideWhatTheReaderMayNotSee(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	on := time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC)
	f.nowTime = on
	dict := facts.Builtin()

	// The VAT refund's micro trader (policies/vat-refund-2022.yaml), its
	// numbers made distinct.
	seed := map[string][][2]string{
		"vat_taxpayer_type":                 {{"", "general"}},
		"enterprise_size":                   {{"", "micro"}},
		"credit_rating":                     {{"2021", "A"}},
		"fraud_refund_or_false_invoice_36m": {{"", "false"}},
		"tax_evasion_penalties_36m":         {{"", "0"}},
		"immediate_refund_since_2019_04":    {{"", "false"}},
		"stock_refund_received":             {{"", "false"}},
		"vat_credit_2019_03":                {{"", "1013579"}},
		"vat_credit_end":                    {{"2022-03", "2246813"}, {"2022-06", "1835791"}, {"2022-07", "2257913"}},
		"input_vat_qualifying":              {{"2022-03", "8135791"}, {"2022-07", "8246813"}},
		"input_vat_total":                   {{"2022-03", "10357913"}, {"2022-07", "10468135"}},
	}
	// Every other confidential number gets a distinct value too.
	var confidential []*facts.Field
	n := 0
	for _, fd := range dict.Fields() {
		if fd.Sensitivity != facts.Confidential {
			continue
		}
		confidential = append(confidential, fd)
		// (An export refund would use up the credit the refund needs.)
		if _, ok := seed[fd.Name]; ok || !fd.Type.Numeric() || fd.Type == facts.Ratio || fd.Name == "export_refund_approved" {
			continue
		}
		n++
		period := ""
		switch fd.Shape {
		case facts.Annual:
			period = "2021"
		case facts.Quarterly:
			period = "2022Q2"
		case facts.Monthly:
			period = "2022-07"
		}
		seed[fd.Name] = [][2]string{{period, strconv.Itoa(3_000_000 + 111_111*n)}}
	}
	for name, values := range seed {
		for _, pv := range values {
			mustAppendFact(t, f.db, f.entA, name, pv[0], pv[1], "import:seed.csv")
		}
	}
	mustMatch(t, f.db, on)

	// The forms a value takes on a page or in JSON.
	forms := func(v string) []string {
		d, _ := strconv.Atoi(v)
		out := []string{v, v + ".00", groupedInt(d)}
		if d >= 10000 {
			out = append(out, fmt.Sprintf("%.2f万", float64(d)/10000))
		}
		if d >= 1_000_000 {
			out = append(out, fmt.Sprintf("¥%.2fM", float64(d)/1_000_000))
		}
		return out
	}
	secret := map[string][]string{} // field → its values' forms
	for name, values := range seed {
		fd, _ := dict.Field(name)
		if fd.Sensitivity != facts.Confidential || !fd.Type.Numeric() {
			continue
		}
		for _, pv := range values {
			if d, err := strconv.Atoi(pv[1]); err == nil && d >= 1000 {
				secret[name] = append(secret[name], forms(pv[1])...)
			}
		}
	}
	if len(secret) < 3 {
		t.Fatalf("only %d confidential fields seeded with distinct values", len(secret))
	}
	leaks := func(body string) []string {
		var out []string
		for name, list := range secret {
			for _, form := range list {
				if strings.Contains(body, form) {
					out = append(out, name+"="+form)
				}
			}
		}
		return out
	}

	id := strconv.FormatInt(f.entA, 10)
	const refund = "vat-refund-2022"
	// The refund's amount as an officer, who may see it, reads it.
	var officerAmount string
	{
		var list struct {
			Items []struct {
				Amount *string `json:"amount"`
			} `json:"items"`
		}
		w := f.get(t, f.as[auth.RoleOfficer], "zh-CN", "/api/v1/policies/"+refund+"/results?status=eligible")
		if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list.Items) != 1 || list.Items[0].Amount == nil {
			t.Fatalf("the officer's list: %s", w.Body)
		}
		officerAmount = strings.TrimSuffix(*list.Items[0].Amount, ".00")
	}
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner, auth.RoleEnterprise, auth.RoleLeader} {
		p := f.as[role]
		sees := map[string]bool{}
		for _, fd := range confidential {
			sees[fd.Name] = auth.FieldVisible(p, auth.Field{Name: fd.Name, Sensitivity: auth.Sensitivity(fd.Sensitivity), Department: fd.Department})
		}
		mayResults := auth.Allowed(p, auth.ViewResults, auth.Enterprise(f.entA, f.parkA))
		t.Run(string(role), func(t *testing.T) {
			// JSON: the enterprise's results.
			w := f.get(t, p, "zh-CN", "/api/v1/enterprises/"+id+"/results")
			if !mayResults {
				if w.Code == http.StatusOK {
					t.Fatalf("results: status 200 for a role that may not see results")
				}
			} else {
				if w.Code != http.StatusOK {
					t.Fatalf("results: status %d: %s", w.Code, w.Body)
				}
				var got struct {
					Results  []policy.Result `json:"results"`
					Withheld bool            `json:"withheld"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				var eligible bool
				for _, r := range got.Results {
					eligible = eligible || r.Policy == refund && r.Status == policy.Eligible
					for _, c := range r.Criteria {
						for _, rd := range append(c.Read, r.Values...) {
							if rd.Kind == "fact" && !sees[rd.Name] && rd.Value != "" && isConfidential(confidential, rd.Name) {
								t.Errorf("%s: %s read %s = %s, which %s may not see", r.Policy, c.ID, rd.Name, rd.Value, role)
							}
						}
					}
				}
				if !eligible {
					t.Fatalf("the fixture does not qualify for %s", refund)
				}
				body := w.Body.String()
				allSee := true
				for name := range secret {
					allSee = allSee && sees[name]
				}
				if l := leaks(body); !allSee && len(l) > 0 {
					t.Errorf("results JSON shows confidential values to %s: %v", role, l)
				}
				if allSee && !strings.Contains(body, "2257913") {
					t.Errorf("results JSON hides vat_credit_end from %s, who may see it", role)
				}
				if got.Withheld == allSee {
					t.Errorf("withheld = %v for %s", got.Withheld, role)
				}
			}

			// JSON: the policy's list.
			w = f.get(t, p, "zh-CN", "/api/v1/policies/"+refund+"/results")
			if w.Code == http.StatusOK && !sees["vat_credit_end"] {
				if l := leaks(w.Body.String()); len(l) > 0 || strings.Contains(w.Body.String(), `"amount":"`) {
					t.Errorf("the policy's list shows %s an amount from confidential data: %s", role, w.Body)
				}
			}

			// XLSX: the export of the policy's list (every file of the
			// workbook, unzipped, is searched).
			w = f.get(t, p, "zh-CN", "/policies/"+refund+"/results.xlsx?status=eligible")
			if w.Code == http.StatusOK {
				text := unzipText(t, w.Body.Bytes())
				if l := leaks(text); !sees["vat_credit_end"] && len(l) > 0 {
					t.Errorf("the Excel export shows %s confidential values: %v", role, l)
				}
				if amount := officerAmount; !sees["vat_credit_end"] && strings.Contains(text, amount) {
					t.Errorf("the Excel export shows %s the refund's amount %s, from confidential data", role, amount)
				}
				if sees["vat_credit_end"] && !strings.Contains(text, officerAmount) {
					t.Errorf("the Excel export hides the amount from %s, who may see it", role)
				}
			}

			// HTML: the pages that show results.
			pages := []string{"/enterprises/" + id, "/enterprises/" + id + "/results/" + refund}
			if role == auth.RoleEnterprise {
				pages = []string{"/portal", "/portal/almost", "/portal/missing", "/portal/results/" + refund}
			}
			for _, path := range pages {
				w := f.get(t, p, "zh-CN", path)
				if w.Code != http.StatusOK {
					continue // refused: nothing shown
				}
				if !sees["vat_credit_end"] {
					if l := leaks(w.Body.String()); len(l) > 0 {
						t.Errorf("%s shows confidential values to %s: %v", path, role, l)
					}
				}
			}
		})
	}
}

func isConfidential(list []*facts.Field, name string) bool {
	for _, f := range list {
		if f.Name == name {
			return true
		}
	}
	return false
}

// groupedInt writes n with thousands separators.
func groupedInt(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// unzipText is the text of every file of a zip (an XLSX workbook).
func unzipText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
	}
	return b.String()
}
