import Dispatch
import Foundation
import Synchronization

/// A server this process started: a cluster, or a PgBouncer in front of one.
protocol LiveServer: AnyObject, Sendable {
    /// Stops the server and removes its files; it may be called from an exit or signal handler, more than once.
    func stop()
}

/// The servers this process has started and not yet stopped, so exit and signal handlers can stop them.
enum LiveClusters {
    private static let clusters = Mutex<[ObjectIdentifier: any LiveServer]>([:])
    private static let signalSources = Mutex<[any DispatchSourceSignal]>([])

    static func add(_ cluster: any LiveServer) {
        installExitHooksOnce
        clusters.withLock { $0[ObjectIdentifier(cluster)] = cluster }
    }

    static func remove(_ cluster: any LiveServer) {
        _ = clusters.withLock { $0.removeValue(forKey: ObjectIdentifier(cluster)) }
    }

    static func stopAll() {
        for cluster in clusters.withLock({ Array($0.values) }) {
            cluster.stop()
        }
    }

    /// Stops every live server at normal process exit and on SIGINT/SIGTERM (then exits 130/143, the shell's
    /// convention for death by that signal). A SIGKILL is covered by each cluster's reaper instead.
    private static let installExitHooksOnce: Void = {
        atexit { LiveClusters.stopAll() }
        signalSources.withLock { sources in
            sources = [(SIGINT, Int32(130)), (SIGTERM, Int32(143))].map { signalNumber, exitStatus in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    LiveClusters.stopAll()
                    exit(exitStatus)
                }
                source.resume()
                return source
            }
        }
    }()
}
