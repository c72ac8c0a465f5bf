package appeal

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// A PNG's signature and header, enough for the sniffer.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// TestAttachments: the liaison and the departments attach files while the
// appeal is open; a confidential one is seen by the enterprise, the lead
// department and officers, not by a co-handler or another enterprise; a
// file that is not what its name says, too large or of a kind not taken is
// refused; a closed appeal takes no more; each attachment is on the
// timeline and audited.
func TestAttachments(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e, other := w.enterprise(), w.enterprise()
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		stranger := w.user("stranger", auth.RoleEnterprise, "", other.ID)
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		market := w.user("market", auth.RoleDepartment, "market", 0)
		tax := w.user("tax", auth.RoleDepartment, "tax", 0)
		w.at("2026-09-24 10:00")
		id, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "approval", Title: "厂区道路积水", Body: "雨后门前道路积水严重"})
		w.must(err)
		w.must(w.svc.Assign(w.ctx, officer, id, "market", []string{"tax"}))

		photo, err := w.svc.Attach(w.ctx, liaison, id, `C:\Users\me\积水照片.PNG`, pngBytes, false)
		w.must(err)
		if photo.Name != "积水照片.PNG" || photo.ContentType != "image/png" {
			t.Errorf("the photo is stored as %q (%s)", photo.Name, photo.ContentType)
		}
		contract, err := w.svc.Attach(w.ctx, liaison, id, "租赁合同.pdf", []byte("%PDF-1.7\n..."), true)
		w.must(err)

		for _, c := range []struct {
			who  auth.Principal
			want int
		}{{liaison, 2}, {officer, 2}, {market, 2}, {tax, 1}} {
			list, err := w.svc.Attachments(w.ctx, c.who, id)
			w.must(err)
			if len(list) != c.want {
				t.Errorf("%s sees %d attachments, want %d", c.who.Label, len(list), c.want)
			}
		}
		if _, err := w.svc.Attachments(w.ctx, stranger, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another enterprise lists the attachments: %v", err)
		}
		if _, _, err := w.svc.OpenAttachment(w.ctx, tax, id, contract.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a co-handler opens the confidential contract: %v", err)
		}
		a, data, err := w.svc.OpenAttachment(w.ctx, market, id, photo.ID)
		w.must(err)
		if !bytes.Equal(data, pngBytes) || a.UploadedBy != "liaison" {
			t.Errorf("the photo reads back as %d bytes by %q", len(data), a.UploadedBy)
		}
		if a, _, err := w.svc.OpenAttachment(w.ctx, liaison, id, photo.ID); err != nil || a.UploadedBy != "" {
			t.Errorf("the liaison reads the uploader %q (%v); staff names stay inside", a.UploadedBy, err)
		}

		for _, bad := range []struct {
			name string
			data []byte
			want string
		}{
			{"page.html", []byte("<html><script>alert(1)</script>"), "attach a photo"},
			{"photo.png", []byte("<svg onload=alert(1)>"), "not what its name says"},
			{"empty.pdf", nil, "empty"},
			{"big.txt", bytes.Repeat([]byte("a"), MaxAttachmentBytes+1), "10 MB"},
			{"", pngBytes, "choose a file"},
		} {
			_, err := w.svc.Attach(w.ctx, market, id, bad.name, bad.data, false)
			if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.ProblemsOf(err)[0].Reason, bad.want) {
				t.Errorf("attach %q: %v, want a refusal saying %q", bad.name, err, bad.want)
			}
		}

		a2 := w.get(officer, id)
		attached := 0
		for _, ev := range a2.Events {
			if ev.Kind == "attach" {
				attached++
			}
		}
		var audited int
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.attach'").Scan(&audited))
		if attached != 2 || audited != 2 {
			t.Errorf("timeline entries %d, audit entries %d; want 2 and 2", attached, audited)
		}

		w.must(w.svc.Merge(w.ctx, officer, id, mustFile(t, w, liaison, e.ID)))
		if _, err := w.svc.Attach(w.ctx, liaison, id, "later.png", pngBytes, false); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("attaching to a merged appeal: %v, want a conflict", err)
		}
	})
}

func mustFile(t *testing.T, w *world, liaison auth.Principal, enterpriseID int64) int64 {
	t.Helper()
	id, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: enterpriseID, Category: "approval", Title: "道路积水（重复）", Body: "同一问题"})
	w.must(err)
	return id
}
