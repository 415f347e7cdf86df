namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// How far the threads of one product that share packed blocks have got (see <c>GemmDriver.MultiplySharing</c>):
/// per block, the pack items and the items done, and which items. Each thread waits only for the work it needs
/// next, not for every thread at a barrier, so a thread that finishes its last item of a block goes on to pack and
/// take items of the next while another is still busy with the first. The threads run at the same time on dedicated
/// threads (see <see cref="GemmWorkers.TryRunTogether"/>): they spin, then yield, but never sleep, because the wait
/// is microseconds. <see cref="Break"/> releases every wait with an exception, for a part that failed.
/// </summary>
internal sealed class GemmProgress(int blocks, int items)
{
    private readonly int _items = items;
    private readonly int[] _packed = new int[blocks];
    private readonly int[] _done = new int[blocks];
    private readonly int[] _itemDone = new int[blocks * items];
    private volatile bool _broken;

    /// <summary>Records one more pack item of <paramref name="block"/> written.</summary>
    public void Packed(int block) => Interlocked.Increment(ref _packed[block]);

    /// <summary>Waits until <paramref name="count"/> pack items of <paramref name="block"/> are written.</summary>
    /// <exception cref="OperationCanceledException">Another thread failed.</exception>
    public void WaitPacked(int block, int count) => WaitUntil(ref _packed[block], count);

    /// <summary>Records <paramref name="item"/> of <paramref name="block"/> done: its part of C written.</summary>
    public void Done(int block, int item)
    {
        Volatile.Write(ref _itemDone[block * _items + item], 1);
        Interlocked.Increment(ref _done[block]);
    }

    /// <summary>Waits until <paramref name="item"/> of <paramref name="block"/> is done.</summary>
    /// <exception cref="OperationCanceledException">Another thread failed.</exception>
    public void WaitDone(int block, int item) => WaitUntil(ref _itemDone[block * _items + item], 1);

    /// <summary>Waits until every item of <paramref name="block"/> is done, so nothing reads its packed block any more.</summary>
    /// <exception cref="OperationCanceledException">Another thread failed.</exception>
    public void WaitAllDone(int block) => WaitUntil(ref _done[block], _items);

    /// <summary>Releases every present and future wait with an exception.</summary>
    public void Break() => _broken = true;

    private void WaitUntil(ref int counter, int value)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref counter) < value)
        {
            if (_broken)
                throw new OperationCanceledException("Another thread of the product failed.");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
