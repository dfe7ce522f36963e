#pragma once
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>

namespace hpops::bot {

// How many connections may be open at once: `configured`, or when that is 0,
// 1024 or fewer when the descriptor limit (RLIMIT_NOFILE's soft value) leaves
// less after a reserve for the store, outbound HTTP and logs.
std::size_t connection_cap(std::size_t configured, std::size_t descriptor_limit);
std::size_t descriptor_limit();  // RLIMIT_NOFILE's soft value

// Caps the connections open at once. At the cap the accept loop stops
// accepting until one closes: the waiting ones queue in the kernel's listen
// backlog, which costs no descriptor and no CPU. Accepting them to answer 503
// would take the very descriptors that are running out, and spend CPU on
// every one a flood sends.
class ConnectionGate : public std::enable_shared_from_this<ConnectionGate> {
public:
    // `strand` is the accept loop's: wait_for_room and close run on it.
    ConnectionGate(boost::asio::any_io_executor strand, std::size_t cap);

    // Lets one connection go when destroyed, from any thread.
    class Ticket {
    public:
        explicit Ticket(std::shared_ptr<ConnectionGate> gate) : gate_(std::move(gate)) {}
        Ticket(Ticket&&) = default;
        Ticket& operator=(Ticket&&) = default;
        ~Ticket() {
            if (gate_) gate_->leave();
        }

    private:
        std::shared_ptr<ConnectionGate> gate_;
    };

    // Returns once fewer than `cap` connections are open, or the gate is closed.
    boost::asio::awaitable<void> wait_for_room();
    // Counts an accepted connection until the ticket is destroyed.
    Ticket admit();
    // Wakes a waiting accept loop for shutdown.
    void close();
    std::size_t cap() const { return cap_; }
    std::size_t open_connections() const { return open_.load(std::memory_order_relaxed); }

private:
    void leave();

    boost::asio::any_io_executor strand_;
    boost::asio::steady_timer room_;  // waited on at the cap; cancelled when a connection leaves
    const std::size_t cap_;
    std::atomic<std::size_t> open_{0};
    bool closed_ = false;  // on the strand
};

}  // namespace hpops::bot
