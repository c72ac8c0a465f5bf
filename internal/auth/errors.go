package auth

import (
	"errors"

	"github.com/parkdesk/parkdesk/internal/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func isReferenced(err error) bool { return errors.Is(err, store.ErrReferenced) }
