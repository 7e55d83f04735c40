backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
    retention { keepLast 0 }
}

backup('labels') {
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
    retention {
        keepLast 3
        label('pre-update') { daily 0 }
    }
}
