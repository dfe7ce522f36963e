//go:build tools

// Keeps the server's package (and so its dependencies) in go.mod and go.sum.
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
