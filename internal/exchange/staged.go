package exchange

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// An upload that passed its dry run waits for its owner's confirmation in
// the database (staged_uploads, migration 0013), not in one process's
// memory: behind a balancer, the confirmation may reach another instance
// than the dry run did. Uploads are bounded in number, in bytes and in
// time; the oldest give way first.
const (
	StageTTL      = 30 * time.Minute
	stageMaxBytes = 256 << 20
	stageMaxCount = 64
)

// StageUpload keeps the files of a dry run that passed for owner, and
// returns the id its confirmation names.
func StageUpload(ctx context.Context, db *store.DB, owner int64, files []File, now time.Time) (string, error) {
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	id := rand.Text()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM staged_uploads WHERE expires_at < ?", store.FormatTime(now)); err != nil {
			return err
		}
		for {
			var n, bytes int64
			if err := tx.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM staged_uploads").Scan(&n, &bytes); err != nil {
				return err
			}
			if n == 0 || (n < stageMaxCount && bytes+size <= stageMaxBytes) {
				break
			}
			if _, err := tx.Exec(ctx, `DELETE FROM staged_uploads WHERE id = (SELECT id FROM staged_uploads ORDER BY created_at, id LIMIT 1)`); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "INSERT INTO staged_uploads (id, owner_id, size, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			id, owner, size, store.FormatTime(now), store.FormatTime(now.Add(StageTTL))); err != nil {
			return err
		}
		for i, f := range files {
			if _, err := tx.Exec(ctx, "INSERT INTO staged_upload_files (upload_id, seq, name, data) VALUES (?, ?, ?, ?)",
				id, i, f.Name, f.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("exchange: stage the upload: %w", err)
	}
	return id, nil
}

// TakeUpload removes and returns the owner's staged upload with the id; ok
// is false when there is none (never staged, expired, confirmed already,
// or another user's).
func TakeUpload(ctx context.Context, db *store.DB, id string, owner int64, now time.Time) (files []File, ok bool, err error) {
	if id == "" {
		return nil, false, nil
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var who int64
		var expires time.Time
		err := tx.QueryRow(ctx, "SELECT owner_id, expires_at FROM staged_uploads WHERE id = ?", id).Scan(&who, store.ScanTime(&expires))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if who != owner || now.After(expires) {
			return nil
		}
		rows, err := tx.Query(ctx, "SELECT name, data FROM staged_upload_files WHERE upload_id = ? ORDER BY seq", id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f File
			if err := rows.Scan(&f.Name, &f.Data); err != nil {
				rows.Close()
				return err
			}
			files = append(files, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Whoever deletes it takes it: two confirmations at once import once.
		res, err := tx.Exec(ctx, "DELETE FROM staged_uploads WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			ok = true
		}
		_, err = tx.Exec(ctx, "DELETE FROM staged_upload_files WHERE upload_id = ?", id)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("exchange: take the staged upload: %w", err)
	}
	if !ok {
		files = nil
	}
	return files, ok, nil
}
