complete -c kubectl-osb-deprovision -l dry-run -d '"client" prints what would be deleted; "server" has the API server check the delete' -r
complete -c kubectl-osb-deprovision -l timeout -d 'How long --wait (and the unbind of --unbind) waits' -r
complete -c kubectl-osb-deprovision -l fail-on -d 'Also end --wait with exit 3 on this retrying reason (repeatable)' -r
complete -c kubectl-osb-deprovision -s o -l output -d 'Output: name prints only kind/name lines' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-deprovision -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-deprovision -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-deprovision -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-deprovision -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-deprovision -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-deprovision -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-deprovision -l unbind -d 'Delete the instance\'s bindings first and wait until they are gone'
complete -c kubectl-osb-deprovision -l ignore-not-found -d 'Treat an instance that does not exist as already deleted'
complete -c kubectl-osb-deprovision -l wait -d 'Wait until the instance is gone (exit 3 if the deprovision is blocked or fails, 4 on timeout)'
complete -c kubectl-osb-deprovision -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-deprovision -s V -l version -d 'Print version'
