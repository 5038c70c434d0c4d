import Foundation
import Hummingbird

/// The page's own HTML, CSS and JavaScript, embedded in the binary (no CDN: works offline).
enum StaticAssets {
    enum Asset { case page, style, script }

    static func response(_ asset: Asset) -> Response {
        let (bytes, type): ([UInt8], String) = switch asset {
        case .page: (PackageResources.index_html, "text/html; charset=utf-8")
        case .style: (PackageResources.studio_css, "text/css; charset=utf-8")
        case .script: (PackageResources.studio_js, "text/javascript; charset=utf-8")
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
