import CFFmpeg

/// Writes a container header the way every video PortraitCL makes has it: MP4/MOV with the index
/// up front (`+faststart`) and, when there are tags, arbitrary metadata keys kept
/// (`+use_metadata_tags`); `metadata` set on the container.
func writeContainerHeader(_ output: UnsafeMutablePointer<AVFormatContext>, metadata: [String: String], path: String) throws(MediaError) {
    var options: OpaquePointer? = nil
    let name = String(cString: output.pointee.oformat.pointee.name)
    if name == "mp4" || name == "mov" {
        av_dict_set(&options, "movflags", metadata.isEmpty ? "+faststart" : "+faststart+use_metadata_tags", 0)
    }
    for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { av_dict_set(&output.pointee.metadata, key, value, 0) }
    let status = avformat_write_header(output, &options)
    av_dict_free(&options)
    guard status >= 0 else { throw .cannotWrite(path: path, reason: "avformat_write_header: \(FFmpeg.message(status))") }
}
