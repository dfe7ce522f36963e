// etcd, built unchanged from go.etcd.io/etcd/server for the tests' real peer.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
