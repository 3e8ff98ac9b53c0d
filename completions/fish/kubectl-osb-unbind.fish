complete -c kubectl-osb-unbind -l instance -d 'Delete every binding of this ServiceInstance' -r
complete -c kubectl-osb-unbind -l dry-run -d '"client" prints what would be deleted; "server" has the API server check the deletes' -r
complete -c kubectl-osb-unbind -l timeout -d 'How long --wait waits' -r
complete -c kubectl-osb-unbind -s o -l output -d 'Output: name prints only kind/name lines' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-unbind -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-unbind -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-unbind -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-unbind -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-unbind -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-unbind -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-unbind -l ignore-not-found -d 'Treat a binding that does not exist as already deleted'
complete -c kubectl-osb-unbind -l wait -d 'Wait until the bindings are gone (exit 3 if an unbind fails, 4 on timeout)'
complete -c kubectl-osb-unbind -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-unbind -s V -l version -d 'Print version'
