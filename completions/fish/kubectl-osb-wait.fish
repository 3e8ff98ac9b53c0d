complete -c kubectl-osb-wait -l for -d 'The state to wait for: ready, failed, deleted, complete, or condition=TYPE[=VALUE]' -r
complete -c kubectl-osb-wait -l timeout -d 'Give up after this long (e.g. 90s, 30m, 1h; 0 = check once)' -r
complete -c kubectl-osb-wait -l fail-on -d 'Treat these retrying reasons as failures (comma-separated, e.g. ReferencesNonexistentServiceClass)' -r
complete -c kubectl-osb-wait -s l -l selector -d 'Select objects of TYPE by label (e.g. app=shop)' -r
complete -c kubectl-osb-wait -s o -l output -d 'Output: default lines "… condition met", json (a summary with state, reason and seconds), name' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-wait -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-wait -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-wait -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-wait -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-wait -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-wait -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-wait -l any -d 'Finish as soon as one object reaches the state (default: all)'
complete -c kubectl-osb-wait -l deadline-ok -d 'Count a Job that failed with DeadlineExceeded as a success (soak tests)'
complete -c kubectl-osb-wait -l all -d 'Every object of TYPE in the namespace'
complete -c kubectl-osb-wait -l no-progress -d 'Never draw the live progress block (it is only drawn when stderr is a terminal)'
complete -c kubectl-osb-wait -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-wait -s V -l version -d 'Print version'
