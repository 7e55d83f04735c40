backup('hourly') {
    sources { files('chroma') { path '/data/chroma' } }
    destinations { local('nas') { path '/mnt/nas' } }
    incremental { fullEvry 7 }
}
