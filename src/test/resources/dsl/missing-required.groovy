backup('nightly') {
    sources {
        files('chroma') {
            exclude 'cache/**'
        }
    }
    destinations {
        local('nas') { }
    }
}
