package orders

import (
	"fmt"
	h "net/http"
)

// Server serves orders.
// Second line.
type Server struct {
	db *DB
}

// Handle handles.
func (s *Server) Handle(w h.ResponseWriter, r *h.Request) error {
	if s.db == nil || r == nil {
		return fmt.Errorf("x")
	}
	rows := s.db.Query(`DELETE FROM orders WHERE id = $1`)
	_ = Order{ID: 1}
	switch rows {
	case 1:
	case 2:
	}
	return nil
}

type Store interface{ Get(id string) (*Order, error) }

func (l *list[T]) push(v T) {}

func helper() {}
