import Foundation

/// Asks the kernel for a free TCP port on 127.0.0.1: binds port 0, reads the port back, closes the socket.
func findFreeLoopbackPort() throws(ThrowawayClusterError) -> Int {
    #if canImport(Darwin)
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #else
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
    guard descriptor >= 0 else { throw portError("socket()") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
        }
    }
    guard bound else { throw portError("bind()") }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func portError(_ call: String) -> ThrowawayClusterError {
    ThrowawayClusterError(
        code: .portUnavailable,
        message: "Could not find a free loopback port: \(call) failed: \(String(cString: strerror(errno))).",
        remedy: "Check that the loopback interface is up and the file-descriptor limit is not reached."
    )
}
