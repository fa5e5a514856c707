#!/bin/busybox sh
# /init of the CowGuard guest (GuestInitramfs puts it into every initramfs). Mounts what the programs use, reserves
# hugetlb pages, puts swap on the RAM disk, then runs the programs listed in /cg/list ("name seconds file args", where
# programs built from one binary share its file) one after the other and reports
# each over the second serial port (/dev/ttyS1, raw), framed so the host can read any bytes back:
#   @@cg:ready:<uptime>:<nr_hugepages>:<swap kB>
#   @@cg:run:<i>:<uptime>
#   @@cg:stdout:<i>:<bytes>\n<bytes of stdout>
#   @@cg:stderr:<i>:<bytes>\n<bytes of stderr>
#   @@cg:exit:<i>:<status>:<uptime>          status as the shell reports it (128 + signal when killed)
#   @@cg:done:<uptime>
# Kernel command-line words key=value arrive here as variables: cg_hugepages.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
exec 3>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo -opost
echo "${cg_hugepages:-0}" >/proc/sys/vm/nr_hugepages
mkswap /dev/ram0 >/dev/null 2>&1 && swapon /dev/ram0
up() { read -r u _ </proc/uptime; echo "$u"; }
swap=$(awk '/SwapTotal/ {print $2}' /proc/meminfo)
printf '@@cg:ready:%s:%s:%s\n' "$(up)" "$(cat /proc/sys/vm/nr_hugepages)" "$swap" >&3
i=0
while read -r name seconds file args; do
  printf '@@cg:run:%d:%s\n' "$i" "$(up)" >&3
  cd /tmp
  eval "set -- $args"
  timeout -s KILL "$seconds" "/cg/$file" "$@" >/tmp/cg.out 2>/tmp/cg.err </dev/null
  status=$?
  t=$(up)
  cd /
  printf '@@cg:stdout:%d:%d\n' "$i" "$(wc -c </tmp/cg.out)" >&3
  cat /tmp/cg.out >&3
  printf '@@cg:stderr:%d:%d\n' "$i" "$(wc -c </tmp/cg.err)" >&3
  cat /tmp/cg.err >&3
  printf '@@cg:exit:%d:%d:%s\n' "$i" "$status" "$t" >&3
  rm -f /tmp/cg.out /tmp/cg.err
  i=$((i + 1))
done </cg/list
printf '@@cg:done:%s\n' "$(up)" >&3
exec 3>&-
reboot -f
