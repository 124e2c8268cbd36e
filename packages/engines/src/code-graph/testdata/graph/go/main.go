package main

import (
	"fmt"

	"example.com/shop/orders"
)

func run(s *orders.Store) error {
	return s.Save("1")
}

func main() {
	s := orders.NewStore()
	fmt.Println(run(s))
}
