complete -c kubectl-osb-provision -l class -d 'Service class, by external name (see \'kubectl osb catalog\')' -r
complete -c kubectl-osb-provision -l plan -d 'Plan of the class, by external name (optional when the class has exactly one plan)' -r
complete -c kubectl-osb-provision -l from-instaclustr -d 'Parameters from an Instaclustr provisioning-API JSON payload (\'-\' for stdin)' -r
complete -c kubectl-osb-provision -s p -l param -d 'Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest' -r
complete -c kubectl-osb-provision -l params-file -d 'Parameters from a YAML or JSON file (\'-\' for stdin); -p values apply on top' -r
complete -c kubectl-osb-provision -l params-from-secret -d 'parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")' -r
complete -c kubectl-osb-provision -s l -l label -d 'Label KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-provision -l annotation -d 'Annotation KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-provision -l dry-run -d '"client" prints the ServiceInstance without sending it; "server" has the API server check it' -r
complete -c kubectl-osb-provision -l timeout -d 'How long --wait waits (e.g. 90s, 30m)' -r
complete -c kubectl-osb-provision -s o -l output -d 'Output format for the instance: yaml, json or name' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-provision -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-provision -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-provision -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-provision -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-provision -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-provision -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-provision -l update -d 'Apply a changed spec to an existing instance (bumps spec.updateRequests)'
complete -c kubectl-osb-provision -l wait -d 'Wait until the instance is Ready (exit 3 if it fails, 4 on timeout)'
complete -c kubectl-osb-provision -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-provision -s V -l version -d 'Print version'
