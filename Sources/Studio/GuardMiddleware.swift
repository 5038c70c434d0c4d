import Foundation
import HTTPTypes
import Hummingbird

/// Runs `RequestGuard` on every `/api/` request, turns errors into `{"error": ...}` JSON with
/// their status, and adds the page's security headers to every response.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: StudioServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            try server.requestGuard.check(host: request.head.authority, authorization: request.headers[.authorization],
                                          queryToken: request.uri.queryParameters.get("token"),
                                          needsToken: request.uri.path.hasPrefix("/api/"))
            response = try await next(request, context)
        } catch let error as StudioError {
            response = JSONReply.error(error)
        } catch let error as any HTTPResponseError {
            response = JSONReply.error(StudioError(status: Int(error.status.code), error.status.code == 404
                ? "no such page or API route: \(request.method.rawValue) \(request.uri.path.prefix(100))"
                : "\(error.status.reasonPhrase) (\(request.method.rawValue) \(request.uri.path.prefix(100)))"))
        } catch {
            response = JSONReply.error(StudioError(status: 500, "the server failed: \(error)"))
        }
        response.headers[.studioContentSecurityPolicy] = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
        response.headers[.studioNoSniff] = "nosniff"
        response.headers[.studioReferrerPolicy] = "no-referrer"
        return response
    }
}

extension HTTPField.Name {
    static let studioContentSecurityPolicy = Self("Content-Security-Policy")!
    static let studioNoSniff = Self("X-Content-Type-Options")!
    static let studioReferrerPolicy = Self("Referrer-Policy")!
    static let studioFileName = Self("X-File-Name")!
    static let studioContentDisposition = Self("Content-Disposition")!
}

/// JSON responses.
enum JSONReply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// `value` as JSON with `status`.
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": message}` with the error's status.
    static func error(_ error: StudioError) -> Response {
        let data = (try? encoder.encode(["error": error.message])) ?? Data("{\"error\":\"error\"}".utf8)
        return Response(status: HTTPResponse.Status(code: error.status), headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
