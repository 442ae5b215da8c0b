# SPDX-License-Identifier: GPL-3.0-or-later
# core/util sources (sizes, durations, uuids, safe archive extraction)
target_sources(codalab_core PRIVATE
    util/archivepathguard.cpp
    util/boundedpipe.cpp
    util/bundleuuid.cpp
    util/bytesize.cpp
    util/decimalnumber.cpp
    util/duration.cpp
    util/jsonnumber.cpp
    util/logformat.cpp
    util/gzipcodec.cpp
    util/safearchive.cpp
    util/stagingdirectory.cpp
    util/targzwriter.cpp
    util/transferrate.cpp
    util/treecopy.cpp
    util/targetinfo.cpp
    util/tasklink.cpp
)
# Tar and gzip, read and written without shelling out to tar.
find_package(LibArchive REQUIRED)
find_package(ZLIB REQUIRED)
target_link_libraries(codalab_core PRIVATE LibArchive::LibArchive ZLIB::ZLIB)
