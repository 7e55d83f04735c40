backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations {
        local('retries') { path '/mnt/nas'; retries(-1) }
        local('timeout') { path '/mnt/nas'; timeout 'soon' }
    }
}
