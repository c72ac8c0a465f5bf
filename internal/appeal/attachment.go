package appeal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Attachments are the photos, scans and documents that show a problem (a
// flooded road, a refusal letter) or answer it. They are kept in the
// database beside the appeal, so that one backup holds everything and
// several instances serve them alike. Only the kinds a park's people send
// are taken, and a file must be what its name says: a page that could run
// in a browser (HTML, SVG) is never stored.

// MaxAttachmentBytes bounds one file: a phone photo or a scanned letter.
const MaxAttachmentBytes = 10 << 20

// maxAttachments bounds the files of one appeal.
const maxAttachments = 20

// Attachment is a file attached to an appeal, without its bytes.
type Attachment struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
	// Confidential files (a contract, accounts) are seen by the
	// enterprise, the lead department and the committee's officers, not
	// by co-handling departments or the commissioner.
	Confidential bool
	UploadedBy   string // "" for readers outside the administration
	UploadedAt   time.Time
}

// attachmentKinds are the kinds taken, by extension, with the type the
// file's first bytes must sniff as (http.DetectContentType) and the type
// it is served with. Office files are ZIP (docx, xlsx) or OLE (doc, xls)
// containers, which sniff as such.
var attachmentKinds = map[string]struct{ sniff, serve string }{
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
	".pdf":  {"application/pdf", "application/pdf"},
	".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".doc":  {"application/octet-stream", "application/msword"},
	".xls":  {"application/octet-stream", "application/vnd.ms-excel"},
}

// attachmentName checks a file's name as the browser sent it and returns
// its last element, and the kind of file it is.
func attachmentName(name string) (string, string, error) {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	problem := func(reason string) (string, string, error) {
		return "", "", apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: reason})
	}
	if name == "" || name == "." || name == "/" {
		return problem("choose a file")
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return problem("the file name must be at most 200 characters, without control characters")
	}
	ext := strings.ToLower(path.Ext(name))
	if _, ok := attachmentKinds[ext]; !ok {
		return problem("attach a photo (JPG, PNG), a PDF, a text file or a Word or Excel document")
	}
	return name, ext, nil
}

// Attach adds a file to an appeal, for whoever may see it while it is open
// or being rated: the liaison, the commissioner, the handling departments
// and the committee's officers. It is recorded on the timeline and
// audited.
func (s *Service) Attach(ctx context.Context, actor auth.Principal, id int64, name string, data []byte, confidential bool) (Attachment, error) {
	name, ext, err := attachmentName(name)
	if err != nil {
		return Attachment{}, err
	}
	switch {
	case len(data) == 0:
		return Attachment{}, apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: "the file is empty"})
	case len(data) > MaxAttachmentBytes:
		return Attachment{}, apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: "the file is larger than 10 MB"})
	}
	kind := attachmentKinds[ext]
	if got := http.DetectContentType(data); got != kind.sniff && !(ext == ".txt" && strings.HasPrefix(got, "text/plain")) {
		return Attachment{}, apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: "the file's content is not what its name says"})
	}
	att := Attachment{Name: name, ContentType: kind.serve, Size: int64(len(data)), Confidential: confidential, UploadedBy: actor.Label}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !r.status.Open() && r.status != Replied {
			return apperr.Errorf(apperr.Conflict, "the appeal is %s: files can no longer be attached", statusWords[r.status])
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM appeal_attachments WHERE appeal_id = ?", id).Scan(&n); err != nil {
			return fmt.Errorf("appeal: count attachments: %w", err)
		}
		if n >= maxAttachments {
			return apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: fmt.Sprintf("an appeal holds at most %d files", maxAttachments)})
		}
		now := s.now()
		att.UploadedAt = now
		if err := tx.QueryRow(ctx, `INSERT INTO appeal_attachments (appeal_id, name, content_type, size, data, confidential, uploaded_by, uploaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, att.Name, att.ContentType, att.Size, data, confidential, actor.Label, store.FormatTime(now)).Scan(&att.ID); err != nil {
			return fmt.Errorf("appeal: store attachment: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE appeals SET updated_at = ? WHERE id = ?", store.FormatTime(now), id); err != nil {
			return fmt.Errorf("appeal: store attachment: %w", err)
		}
		if err := event(ctx, tx, id, now, actor.Label, "attach", att.Name, r.department); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.attach", ObjectType: "appeal", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"attachment": att.ID, "name": att.Name, "size": att.Size, "confidential": confidential}, At: now})
	})
	return att, err
}

// MaySee returns nil when the actor may see the appeal, and the "no such
// appeal" error otherwise: for an adapter that decides who may send a
// file before reading it.
func (s *Service) MaySee(ctx context.Context, actor auth.Principal, id int64) error {
	_, err := loadRow(ctx, s.DB, actor, id)
	return err
}

// seesConfidential reports whether the actor sees the appeal's
// confidential files: the enterprise itself, its lead department, the
// committee's officers and admins.
func seesConfidential(actor auth.Principal, r *row) bool {
	switch actor.Role {
	case auth.RoleEnterprise, auth.RoleOfficer, auth.RoleAdmin:
		return true // visibility of the appeal itself was checked by loadRow
	case auth.RoleDepartment:
		return actor.Department != "" && actor.Department == r.department
	}
	return actor.IsSystem()
}

// Attachments lists the files of an appeal the actor may see, oldest first.
func (s *Service) Attachments(ctx context.Context, actor auth.Principal, id int64) ([]Attachment, error) {
	r, err := loadRow(ctx, s.DB, actor, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT id, name, content_type, size, confidential, uploaded_by, uploaded_at
FROM appeal_attachments WHERE appeal_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("appeal: list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var at string
		if err := rows.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.Confidential, &a.UploadedBy, &at); err != nil {
			return nil, fmt.Errorf("appeal: list attachments: %w", err)
		}
		if a.Confidential && !seesConfidential(actor, r) {
			continue
		}
		if a.UploadedAt, err = store.ParseTime(at); err != nil {
			return nil, err
		}
		if actor.Role == auth.RoleEnterprise {
			a.UploadedBy = "" // staff names stay inside the administration
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenAttachment returns one file of an appeal with its bytes, to whoever
// may see it; to anyone else it does not exist.
func (s *Service) OpenAttachment(ctx context.Context, actor auth.Principal, id, attachmentID int64) (Attachment, []byte, error) {
	r, err := loadRow(ctx, s.DB, actor, id)
	if err != nil {
		return Attachment{}, nil, err
	}
	var a Attachment
	var data []byte
	var at string
	err = s.DB.QueryRow(ctx, `SELECT id, name, content_type, size, confidential, uploaded_by, uploaded_at, data
FROM appeal_attachments WHERE appeal_id = ? AND id = ?`, id, attachmentID).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.Confidential, &a.UploadedBy, &at, &data)
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && a.Confidential && !seesConfidential(actor, r):
		return Attachment{}, nil, apperr.Errorf(apperr.NotFound, "no such attachment")
	case err != nil:
		return Attachment{}, nil, fmt.Errorf("appeal: read attachment: %w", err)
	}
	if a.UploadedAt, err = store.ParseTime(at); err != nil {
		return Attachment{}, nil, err
	}
	if actor.Role == auth.RoleEnterprise {
		a.UploadedBy = ""
	}
	return a, data, nil
}
