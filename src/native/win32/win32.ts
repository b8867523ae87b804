/**
 * Win32 bindings for the IOCP backend (x64): koffi prototypes and constants only, under their C
 * names so MSDN applies. No logic beyond decoding the AcceptEx function pointer.
 *
 * Conventions:
 * - HANDLE and SOCKET are `intptr_t`: plain JS numbers (NULL = 0, INVALID_* = -1). A SOCKET number
 *   is accepted wherever a HANDLE is (CreateIoCompletionPort, CancelIoEx).
 * - Hot-path pointer parameters (GetQueuedCompletionStatus[Ex], PostQueuedCompletionStatus,
 *   CancelIoEx, WSARecv, WSASend, AcceptEx) are `uintptr_t`: addresses in a koffi.alloc arena as
 *   numbers (or BigInt), 0 for NULL; nothing is marshalled.
 * - Cold-path pointer parameters are `void *`: an address, or a Buffer / typed array that koffi
 *   passes by reference (for example a Uint8Array holding a sockaddr_in).
 * - BOOL results are `int32_t` (0 = FALSE). NTSTATUS values are given unsigned, as MSDN writes
 *   them: compare with `status >>> 0` when a status was read as a signed 32-bit integer.
 * - Each thread calls loadWin32() itself (koffi functions belong to one isolate); it loads once per
 *   thread. Handles, addresses and the AcceptEx pointer may be passed to workers as numbers.
 */
import koffi from 'koffi';

/** A native address: a number (or BigInt) in a koffi.alloc arena; 0 is NULL. */
export type Addr = number | bigint;
/** A `void *` argument: an address, a Buffer / typed array passed by reference, or null. */
export type VoidPtr = Addr | ArrayBufferView | null;

// --- Layouts (x64) ---------------------------------------------------------------------------

/** OVERLAPPED: Internal (NTSTATUS) @0, InternalHigh (bytes) @8, Offset @16, OffsetHigh @20, hEvent @24. */
export const OVERLAPPED_SIZE = 32;
export const OVERLAPPED_INTERNAL = 0;
export const OVERLAPPED_INTERNAL_HIGH = 8;
export const OVERLAPPED_OFFSET = 16;
export const OVERLAPPED_OFFSET_HIGH = 20;
export const OVERLAPPED_HEVENT = 24;

/** OVERLAPPED_ENTRY: lpCompletionKey @0, lpOverlapped @8, Internal @16, dwNumberOfBytesTransferred @24. */
export const OVERLAPPED_ENTRY_SIZE = 32;
export const OVERLAPPED_ENTRY_KEY = 0;
export const OVERLAPPED_ENTRY_OVERLAPPED = 8;
export const OVERLAPPED_ENTRY_INTERNAL = 16;
export const OVERLAPPED_ENTRY_BYTES = 24;

/** WSABUF: u32 len @0, char *buf @8. */
export const WSABUF_SIZE = 16;
export const WSABUF_LEN = 0;
export const WSABUF_BUF = 8;

/** sockaddr_in: u16 sin_family @0, u16 sin_port @2 (network order), in_addr @4, zero @8..16. */
export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN_FAMILY = 0;
export const SOCKADDR_IN_PORT = 2;
export const SOCKADDR_IN_ADDR = 4;

/** LINGER: u16 l_onoff @0, u16 l_linger @2. {1, 0} makes closesocket send RST. */
export const LINGER_SIZE = 4;
export const LINGER_ONOFF = 0;
export const LINGER_LINGER = 2;

/** sizeof(WSADATA) on x64. */
export const WSADATA_SIZE = 408;
/** AcceptEx local/remote address length for IPv4: sizeof(sockaddr_in) + 16. */
export const ACCEPTEX_ADDRESS_LENGTH = SOCKADDR_IN_SIZE + 16;
/** AcceptEx output buffer with no receive data: both addresses. */
export const ACCEPTEX_OUTPUT_SIZE = 2 * ACCEPTEX_ADDRESS_LENGTH;

// --- Winsock constants -----------------------------------------------------------------------

export const WINSOCK_VERSION = 0x0202;
export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const IPPROTO_TCP = 6;
export const INVALID_SOCKET = -1;
export const SOCKET_ERROR = -1;
export const SOMAXCONN = 0x7fffffff;
/**
 * SOMAXCONN_HINT(n) of winsock2.h: a listen backlog of n connections (Windows clamps it to
 * 200..65535), where plain SOMAXCONN gives about 200. A full backlog on Windows answers new
 * connections with a reset rather than dropping the SYN.
 */
export function SOMAXCONN_HINT(n: number): number {
  return -n;
}
export const SOL_SOCKET = 0xffff;
export const SO_REUSEADDR = 0x0004;
export const SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR; // -5
export const SO_LINGER = 0x0080;
export const SO_SNDBUF = 0x1001;
export const SO_RCVBUF = 0x1002;
export const SO_UPDATE_ACCEPT_CONTEXT = 0x700b;
export const SO_UPDATE_CONNECT_CONTEXT = 0x7010;
export const TCP_NODELAY = 0x0001;
export const SD_RECEIVE = 0;
export const SD_SEND = 1;
export const SD_BOTH = 2;
/** ioctlsocket: non-blocking mode on (argp -> 1) or off (0). _IOW('f', 126, u_long). */
export const FIONBIO = 0x8004667e | 0;
export const WSA_FLAG_OVERLAPPED = 0x01;
export const WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
export const SIO_GET_EXTENSION_FUNCTION_POINTER = 0xc8000006;
/** {B5367DF1-CBAC-11CF-95CA-00805F48A192} in memory order. */
export const WSAID_ACCEPTEX: readonly number[] = [
  0xf1, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92,
];
/** {25A207B9-DDF3-4660-8EE9-76E58C74063E} in memory order. */
export const WSAID_CONNECTEX: readonly number[] = [
  0xb9, 0x07, 0xa2, 0x25, 0xf3, 0xdd, 0x60, 0x46, 0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e,
];

// --- kernel32 constants ----------------------------------------------------------------------

export const INVALID_HANDLE_VALUE = -1;
export const INFINITE = 0xffffffff;
/** SetFileCompletionNotificationModes flags. */
export const FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
export const FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

// --- NTSTATUS (OVERLAPPED.Internal, OVERLAPPED_ENTRY.Internal) -------------------------------

export const STATUS_SUCCESS = 0;
export const STATUS_PENDING = 0x103;
/** A generic failure (NTSTATUS). */
export const STATUS_UNSUCCESSFUL = 0xc0000001;
/** closesocket with a WSARecv pending (Wine); a warning, not NT_SUCCESS: treat as failed. */
export const STATUS_HANDLES_CLOSED = 0x8000000a;
export const STATUS_LOCAL_DISCONNECT = 0xc000013b;
export const STATUS_REMOTE_DISCONNECT = 0xc000013c;
export const STATUS_CANCELLED = 0xc0000120;
/** A client that reset before its AcceptEx completed (Wine). */
export const STATUS_INVALID_CONNECTION = 0xc0000140;
export const STATUS_CONNECTION_DISCONNECTED = 0xc000020c;
export const STATUS_CONNECTION_RESET = 0xc000020d;
export const STATUS_CONNECTION_ABORTED = 0xc0000241;

// --- Win32 / Winsock errors (GetLastError, WSAGetLastError) ----------------------------------

export const ERROR_SUCCESS = 0;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_UNEXP_NET_ERR = 59;
export const ERROR_NETNAME_DELETED = 64;
export const WAIT_TIMEOUT = 258;
export const ERROR_HANDLES_CLOSED = 676;
export const ERROR_ABANDONED_WAIT_0 = 735;
export const ERROR_OPERATION_ABORTED = 995;
export const ERROR_IO_PENDING = 997;
export const ERROR_NOT_FOUND = 1168;
export const ERROR_CONNECTION_ABORTED = 1236;
export const WSA_IO_PENDING = ERROR_IO_PENDING;
export const WSA_OPERATION_ABORTED = ERROR_OPERATION_ABORTED;
export const WSAEINTR = 10004;
export const WSAEFAULT = 10014;
export const WSAEINVAL = 10022;
export const WSAEWOULDBLOCK = 10035;
export const WSAENOTSOCK = 10038;
export const WSAEADDRINUSE = 10048;
export const WSAEADDRNOTAVAIL = 10049;
export const WSAENETRESET = 10052;
export const WSAECONNABORTED = 10053;
export const WSAECONNRESET = 10054;
export const WSAENOBUFS = 10055;
export const WSAENOTCONN = 10057;
export const WSAESHUTDOWN = 10058;
export const WSAETIMEDOUT = 10060;
export const WSAECONNREFUSED = 10061;
export const WSANOTINITIALISED = 10093;

/** Every constant above, also spread into loadWin32()'s result. */
export const WIN32_CONSTANTS = {
  OVERLAPPED_SIZE, OVERLAPPED_INTERNAL, OVERLAPPED_INTERNAL_HIGH, OVERLAPPED_OFFSET,
  OVERLAPPED_OFFSET_HIGH, OVERLAPPED_HEVENT,
  OVERLAPPED_ENTRY_SIZE, OVERLAPPED_ENTRY_KEY, OVERLAPPED_ENTRY_OVERLAPPED, OVERLAPPED_ENTRY_INTERNAL,
  OVERLAPPED_ENTRY_BYTES,
  WSABUF_SIZE, WSABUF_LEN, WSABUF_BUF,
  SOCKADDR_IN_SIZE, SOCKADDR_IN_FAMILY, SOCKADDR_IN_PORT, SOCKADDR_IN_ADDR,
  LINGER_SIZE, LINGER_ONOFF, LINGER_LINGER,
  WSADATA_SIZE, ACCEPTEX_ADDRESS_LENGTH, ACCEPTEX_OUTPUT_SIZE,
  WINSOCK_VERSION, AF_INET, SOCK_STREAM, IPPROTO_TCP, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN,
  SOL_SOCKET, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SO_LINGER, SO_SNDBUF, SO_RCVBUF,
  SO_UPDATE_ACCEPT_CONTEXT, SO_UPDATE_CONNECT_CONTEXT, TCP_NODELAY, SD_RECEIVE, SD_SEND, SD_BOTH, FIONBIO,
  WSA_FLAG_OVERLAPPED, WSA_FLAG_NO_HANDLE_INHERIT, SIO_GET_EXTENSION_FUNCTION_POINTER,
  WSAID_ACCEPTEX, WSAID_CONNECTEX,
  INVALID_HANDLE_VALUE, INFINITE, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, FILE_SKIP_SET_EVENT_ON_HANDLE,
  STATUS_SUCCESS, STATUS_PENDING, STATUS_UNSUCCESSFUL, STATUS_HANDLES_CLOSED, STATUS_LOCAL_DISCONNECT,
  STATUS_REMOTE_DISCONNECT, STATUS_CANCELLED, STATUS_INVALID_CONNECTION,
  STATUS_CONNECTION_DISCONNECTED, STATUS_CONNECTION_RESET, STATUS_CONNECTION_ABORTED,
  ERROR_SUCCESS, ERROR_INVALID_HANDLE, ERROR_UNEXP_NET_ERR, ERROR_NETNAME_DELETED, WAIT_TIMEOUT,
  ERROR_HANDLES_CLOSED, ERROR_ABANDONED_WAIT_0, ERROR_OPERATION_ABORTED, ERROR_IO_PENDING,
  ERROR_NOT_FOUND, ERROR_CONNECTION_ABORTED, WSA_IO_PENDING, WSA_OPERATION_ABORTED,
  WSAEINTR, WSAEFAULT, WSAEINVAL, WSAEWOULDBLOCK, WSAENOTSOCK, WSAEADDRINUSE, WSAEADDRNOTAVAIL,
  WSAENETRESET, WSAECONNABORTED, WSAECONNRESET, WSAENOBUFS, WSAENOTCONN, WSAESHUTDOWN,
  WSAETIMEDOUT, WSAECONNREFUSED, WSANOTINITIALISED,
} as const;

// --- Functions -------------------------------------------------------------------------------

/** BOOL AcceptEx(...), obtained with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX). */
export type AcceptExFn = (
  sListenSocket: number,
  sAcceptSocket: number,
  lpOutputBuffer: Addr,
  dwReceiveDataLength: number,
  dwLocalAddressLength: number,
  dwRemoteAddressLength: number,
  lpdwBytesReceived: Addr,
  lpOverlapped: Addr,
) => number;

export interface Win32Functions {
  // kernel32
  CreateIoCompletionPort(FileHandle: number, ExistingCompletionPort: number, CompletionKey: Addr, NumberOfConcurrentThreads: number): number;
  /** Out params are addresses: DWORD bytes, ULONG_PTR key, OVERLAPPED* (8 bytes). */
  GetQueuedCompletionStatus(CompletionPort: number, lpNumberOfBytesTransferred: Addr, lpCompletionKey: Addr, lpOverlapped: Addr, dwMilliseconds: number): number;
  /** lpCompletionPortEntries: ulCount OVERLAPPED_ENTRY (32 B each); ulNumEntriesRemoved: a DWORD. */
  GetQueuedCompletionStatusEx(CompletionPort: number, lpCompletionPortEntries: Addr, ulCount: number, ulNumEntriesRemoved: Addr, dwMilliseconds: number, fAlertable: number): number;
  PostQueuedCompletionStatus(CompletionPort: number, dwNumberOfBytesTransferred: number, dwCompletionKey: Addr, lpOverlapped: Addr): number;
  CancelIoEx(hFile: number, lpOverlapped: Addr): number;
  CloseHandle(hObject: number): number;
  GetLastError(): number;
  SetFileCompletionNotificationModes(FileHandle: number, Flags: number): number;
  GetCurrentThreadId(): number;
  // ntdll
  RtlNtStatusToDosError(Status: number): number;
  // ws2_32
  WSAStartup(wVersionRequested: number, lpWSAData: VoidPtr): number;
  WSACleanup(): number;
  WSASocketW(af: number, type: number, protocol: number, lpProtocolInfo: VoidPtr, g: number, dwFlags: number): number;
  bind(s: number, name: VoidPtr, namelen: number): number;
  listen(s: number, backlog: number): number;
  connect(s: number, name: VoidPtr, namelen: number): number;
  closesocket(s: number): number;
  /**
   * Copies what the socket holds (up to len bytes) to buf; -1 with WSAEWOULDBLOCK on an empty
   * non-blocking socket.
   */
  recv(s: number, buf: Addr, len: number, flags: number): number;
  ioctlsocket(s: number, cmd: number, argp: VoidPtr): number;
  setsockopt(s: number, level: number, optname: number, optval: VoidPtr, optlen: number): number;
  getsockopt(s: number, level: number, optname: number, optval: VoidPtr, optlen: VoidPtr): number;
  getsockname(s: number, name: VoidPtr, namelen: VoidPtr): number;
  getpeername(s: number, name: VoidPtr, namelen: VoidPtr): number;
  shutdown(s: number, how: number): number;
  WSAIoctl(s: number, dwIoControlCode: number, lpvInBuffer: VoidPtr, cbInBuffer: number, lpvOutBuffer: VoidPtr, cbOutBuffer: number, lpcbBytesReturned: VoidPtr, lpOverlapped: VoidPtr, lpCompletionRoutine: VoidPtr): number;
  /** lpBuffers: dwBufferCount WSABUF; lpFlags: a DWORD (in/out, required); lpCompletionRoutine: 0. */
  WSARecv(s: number, lpBuffers: Addr, dwBufferCount: number, lpNumberOfBytesRecvd: Addr, lpFlags: Addr, lpOverlapped: Addr, lpCompletionRoutine: Addr): number;
  WSASend(s: number, lpBuffers: Addr, dwBufferCount: number, lpNumberOfBytesSent: Addr, dwFlags: number, lpOverlapped: Addr, lpCompletionRoutine: Addr): number;
  WSAGetLastError(): number;
  /** Sets WSAGetLastError to the Winsock error of a completed (failed) overlapped operation. */
  WSAGetOverlappedResult(s: number, lpOverlapped: VoidPtr, lpcbTransfer: VoidPtr, fWait: number, lpdwFlags: VoidPtr): number;
  htons(hostshort: number): number;
  ntohs(netshort: number): number;
  /** Returns 1 on success; pAddrBuf receives the 4-byte (AF_INET) address. */
  inet_pton(Family: number, pszAddrString: string, pAddrBuf: VoidPtr): number;
  // AcceptEx through its function pointer
  /** WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX): the pointer, or 0n (see WSAGetLastError). */
  getAcceptExPointer(s: number): bigint;
  /** A callable AcceptEx from a pointer (also one obtained on another thread). */
  decodeAcceptEx(pointer: Addr): AcceptExFn;
}

export type Win32 = Win32Functions & typeof WIN32_CONSTANTS;

let cached: Win32 | null = null;

/** The bound functions and constants, loaded once per thread. Throws where kernel32 is missing. */
export function loadWin32(): Win32 {
  cached ??= bind();
  return cached;
}

type Lib = ReturnType<typeof koffi.load>;

function fn<T>(lib: Lib, declaration: string): T {
  return lib.func(declaration) as unknown as T;
}

function bind(): Win32 {
  const k32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  const ws2 = koffi.load('ws2_32.dll');
  type F = Win32Functions;

  // Named types are per thread in koffi; bind() runs once per thread.
  const AcceptExProto = koffi.proto(
    'int32_t __stdcall AcceptEx(intptr_t sListenSocket, intptr_t sAcceptSocket, uintptr_t lpOutputBuffer, ' +
      'uint32_t dwReceiveDataLength, uint32_t dwLocalAddressLength, uint32_t dwRemoteAddressLength, ' +
      'uintptr_t lpdwBytesReceived, uintptr_t lpOverlapped)',
  );

  const WSAIoctl = fn<F['WSAIoctl']>(
    ws2,
    'int32_t __stdcall WSAIoctl(intptr_t s, uint32_t dwIoControlCode, void *lpvInBuffer, uint32_t cbInBuffer, ' +
      'void *lpvOutBuffer, uint32_t cbOutBuffer, void *lpcbBytesReturned, void *lpOverlapped, void *lpCompletionRoutine)',
  );

  const functions: Win32Functions = {
    CreateIoCompletionPort: fn(k32,
      'intptr_t __stdcall CreateIoCompletionPort(intptr_t FileHandle, intptr_t ExistingCompletionPort, ' +
        'uintptr_t CompletionKey, uint32_t NumberOfConcurrentThreads)'),
    GetQueuedCompletionStatus: fn(k32,
      'int32_t __stdcall GetQueuedCompletionStatus(intptr_t CompletionPort, uintptr_t lpNumberOfBytesTransferred, ' +
        'uintptr_t lpCompletionKey, uintptr_t lpOverlapped, uint32_t dwMilliseconds)'),
    GetQueuedCompletionStatusEx: fn(k32,
      'int32_t __stdcall GetQueuedCompletionStatusEx(intptr_t CompletionPort, uintptr_t lpCompletionPortEntries, ' +
        'uint32_t ulCount, uintptr_t ulNumEntriesRemoved, uint32_t dwMilliseconds, int32_t fAlertable)'),
    PostQueuedCompletionStatus: fn(k32,
      'int32_t __stdcall PostQueuedCompletionStatus(intptr_t CompletionPort, uint32_t dwNumberOfBytesTransferred, ' +
        'uintptr_t dwCompletionKey, uintptr_t lpOverlapped)'),
    CancelIoEx: fn(k32, 'int32_t __stdcall CancelIoEx(intptr_t hFile, uintptr_t lpOverlapped)'),
    CloseHandle: fn(k32, 'int32_t __stdcall CloseHandle(intptr_t hObject)'),
    GetLastError: fn(k32, 'uint32_t __stdcall GetLastError(void)'),
    SetFileCompletionNotificationModes: fn(k32,
      'int32_t __stdcall SetFileCompletionNotificationModes(intptr_t FileHandle, uint8_t Flags)'),
    GetCurrentThreadId: fn(k32, 'uint32_t __stdcall GetCurrentThreadId(void)'),

    RtlNtStatusToDosError: fn(ntdll, 'uint32_t __stdcall RtlNtStatusToDosError(uint32_t Status)'),

    WSAStartup: fn(ws2, 'int32_t __stdcall WSAStartup(uint16_t wVersionRequested, void *lpWSAData)'),
    WSACleanup: fn(ws2, 'int32_t __stdcall WSACleanup(void)'),
    WSASocketW: fn(ws2,
      'intptr_t __stdcall WSASocketW(int32_t af, int32_t type, int32_t protocol, void *lpProtocolInfo, ' +
        'uint32_t g, uint32_t dwFlags)'),
    bind: fn(ws2, 'int32_t __stdcall bind(intptr_t s, void *name, int32_t namelen)'),
    listen: fn(ws2, 'int32_t __stdcall listen(intptr_t s, int32_t backlog)'),
    connect: fn(ws2, 'int32_t __stdcall connect(intptr_t s, void *name, int32_t namelen)'),
    closesocket: fn(ws2, 'int32_t __stdcall closesocket(intptr_t s)'),
    recv: fn(ws2, 'int32_t __stdcall recv(intptr_t s, uintptr_t buf, int32_t len, int32_t flags)'),
    ioctlsocket: fn(ws2, 'int32_t __stdcall ioctlsocket(intptr_t s, int32_t cmd, void *argp)'),
    setsockopt: fn(ws2,
      'int32_t __stdcall setsockopt(intptr_t s, int32_t level, int32_t optname, void *optval, int32_t optlen)'),
    getsockopt: fn(ws2,
      'int32_t __stdcall getsockopt(intptr_t s, int32_t level, int32_t optname, void *optval, void *optlen)'),
    getsockname: fn(ws2, 'int32_t __stdcall getsockname(intptr_t s, void *name, void *namelen)'),
    getpeername: fn(ws2, 'int32_t __stdcall getpeername(intptr_t s, void *name, void *namelen)'),
    shutdown: fn(ws2, 'int32_t __stdcall shutdown(intptr_t s, int32_t how)'),
    WSAIoctl,
    WSARecv: fn(ws2,
      'int32_t __stdcall WSARecv(intptr_t s, uintptr_t lpBuffers, uint32_t dwBufferCount, ' +
        'uintptr_t lpNumberOfBytesRecvd, uintptr_t lpFlags, uintptr_t lpOverlapped, uintptr_t lpCompletionRoutine)'),
    WSASend: fn(ws2,
      'int32_t __stdcall WSASend(intptr_t s, uintptr_t lpBuffers, uint32_t dwBufferCount, ' +
        'uintptr_t lpNumberOfBytesSent, uint32_t dwFlags, uintptr_t lpOverlapped, uintptr_t lpCompletionRoutine)'),
    WSAGetLastError: fn(ws2, 'int32_t __stdcall WSAGetLastError(void)'),
    WSAGetOverlappedResult: fn(ws2,
      'int32_t __stdcall WSAGetOverlappedResult(intptr_t s, void *lpOverlapped, void *lpcbTransfer, ' +
        'int32_t fWait, void *lpdwFlags)'),
    htons: fn(ws2, 'uint16_t __stdcall htons(uint16_t hostshort)'),
    ntohs: fn(ws2, 'uint16_t __stdcall ntohs(uint16_t netshort)'),
    inet_pton: fn(ws2, 'int32_t __stdcall inet_pton(int32_t Family, const char *pszAddrString, void *pAddrBuf)'),

    getAcceptExPointer(s: number): bigint {
      const guid = Uint8Array.from(WSAID_ACCEPTEX);
      const out = new BigUint64Array(1);
      const returned = new Uint32Array(1);
      const rc = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, guid.length, out, 8, returned, null, null);
      return rc === 0 ? out[0]! : 0n;
    },
    decodeAcceptEx(pointer: Addr): AcceptExFn {
      return koffi.decode(BigInt(pointer), AcceptExProto) as AcceptExFn;
    },
  };

  return { ...functions, ...WIN32_CONSTANTS };
}
