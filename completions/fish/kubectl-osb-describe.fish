complete -c kubectl-osb-describe -s o -l output -d 'Print the object itself instead: yaml or json' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-describe -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-describe -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-describe -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-describe -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-describe -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-describe -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-describe -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-describe -s V -l version -d 'Print version'
