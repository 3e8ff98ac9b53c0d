complete -c kubectl-osb-get -s o -l output -d 'Output format: table, wide, yaml, json, name, jsonpath=TEMPLATE, jsonpath-file=FILE, custom-columns=HEADER:PATH,…, custom-columns-file=FILE (kubectl\'s JSONPath)' -r -f -a "custom-columns=\t''
custom-columns-file=\t''
json\t''
jsonpath=\t''
jsonpath-file=\t''
name\t''
table\t''
wide\t''
yaml\t''"
complete -c kubectl-osb-get -s l -l selector -d 'Label selector (`key=value`, `key!=value`, `key in (a,b)`, `key`, `!key`), as kubectl' -r
complete -c kubectl-osb-get -l field-selector -d 'Field selector (`metadata.name=db`, …), as kubectl' -r
complete -c kubectl-osb-get -l sort-by -d 'Sort the list by this JSONPath (`.metadata.name`, `{.spec.clusterServicePlanExternalName}`)' -r
complete -c kubectl-osb-get -s L -l label-columns -d 'Add a column with the value of each of these labels (repeatable, or comma-separated)' -r
complete -c kubectl-osb-get -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-get -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-get -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-get -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-get -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-get -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-get -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-get -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-get -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-get -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-get -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-get -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-get -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-get -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-get -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-get -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-get -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-get -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-get -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-get -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-get -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-get -s A -l all-namespaces -d 'List across all namespaces'
complete -c kubectl-osb-get -l no-headers -d 'Print tables (and custom columns) without their header line'
complete -c kubectl-osb-get -l show-labels -d 'Add a LABELS column with every label'
complete -c kubectl-osb-get -s w -l watch -d 'After listing, watch for changes and print a line for each (runs until interrupted; a dropped or expired watch is resumed)'
complete -c kubectl-osb-get -l watch-only -d 'Watch for changes without listing first'
complete -c kubectl-osb-get -l output-watch-events -d 'With --watch or --watch-only: add the event type (ADDED, MODIFIED, DELETED) to each line'
complete -c kubectl-osb-get -l show-managed-fields -d 'Keep metadata.managedFields in -o json|yaml (left out by default, as kubectl does)'
complete -c kubectl-osb-get -s h -l help -d 'Print help'
complete -c kubectl-osb-get -s V -l version -d 'Print version'
