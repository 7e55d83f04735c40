backup('nightly') {
    timezone 'Europe/Berln'
    sources { files('chroma') { path '/data/chroma' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
