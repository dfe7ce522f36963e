//go:build tools

// Keeps the CLI's package (and so its dependencies) in go.mod and go.sum.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
