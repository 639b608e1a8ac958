#!/usr/bin/perl
# An independent SMPP 3.4 client for the end-to-end tests: Perl's Net::SMPP (libnet-smpp-perl),
# driven by JSON so the vitest suites can script it. Nobody on this project wrote Net::SMPP, which is
# the point: it checks our SMSC against someone else's reading of the specification.
#
#   net-smpp.pl submit  HOST PORT SYSTEM_ID PASSWORD < messages.jsonl
#     each input line: {"to","from","hex","dataCoding","esmClass","registeredDelivery"}
#     each output line: {"event":"submit_sm_resp","status":N,"messageId":"..."}
#   net-smpp.pl receive HOST PORT SYSTEM_ID PASSWORD COUNT TIMEOUT_SECONDS
#     binds as receiver, answers each deliver_sm, prints
#     {"event":"deliver_sm","from","to","esmClass","dataCoding","hex","receiptedMessageId","messageState"}
#     until COUNT arrived or the timeout passed, then unbinds; answers enquire_link and prints
#     {"event":"enquire_link"} for each.
# Every run ends with {"event":"unbound"} after a clean unbind, or {"event":"error","message":...}.
use strict;
use warnings;
use Net::SMPP;
use JSON::PP;

$| = 1;
my $json = JSON::PP->new->canonical;
my ($mode, $host, $port, $system_id, $password, @rest) = @ARGV;
sub out { print $json->encode($_[0]), "\n" }
sub fail { out({ event => 'error', message => $_[0] }); exit 1 }

if ($mode eq 'submit') {
  my $smpp = Net::SMPP->new_transmitter($host, port => $port, system_id => $system_id,
    password => $password) or fail("bind_transmitter failed: $!");
  out({ event => 'bound' });
  while (my $line = <STDIN>) {
    next unless $line =~ /\S/;
    my $m = $json->decode($line);
    my $resp = $smpp->submit_sm(
      source_addr => $m->{from} // '', destination_addr => $m->{to},
      source_addr_ton => 1, source_addr_npi => 1, dest_addr_ton => 1, dest_addr_npi => 1,
      esm_class => $m->{esmClass} // 0, data_coding => $m->{dataCoding} // 0,
      registered_delivery => $m->{registeredDelivery} // 0,
      short_message => pack('H*', $m->{hex}),
    ) or fail('submit_sm: no response');
    out({ event => 'submit_sm_resp', status => $resp->{status}, messageId => $resp->{message_id} // '' });
  }
  my $u = $smpp->unbind() or fail('unbind: no response');
  out({ event => 'unbound', status => $u->{status} });
} elsif ($mode eq 'receive') {
  my ($count, $timeout) = @rest;
  my $smpp = Net::SMPP->new_receiver($host, port => $port, system_id => $system_id,
    password => $password, async => 1) or fail("bind_receiver failed: $!");
  out({ event => 'bound' });
  my $seen = 0;
  local $SIG{ALRM} = sub { fail("timeout after $seen of $count deliver_sm") };
  alarm $timeout;
  while ($seen < $count) {
    my $pdu = $smpp->read_pdu() or fail('read_pdu: connection lost');
    if ($pdu->{cmd} == 0x00000005) {
      $smpp->deliver_sm_resp(seq => $pdu->{seq}, message_id => '');
      $seen++;
      out({ event => 'deliver_sm', from => $pdu->{source_addr}, to => $pdu->{destination_addr},
        esmClass => $pdu->{esm_class}, dataCoding => $pdu->{data_coding},
        hex => unpack('H*', $pdu->{short_message} // ''),
        receiptedMessageId => defined $pdu->{receipted_message_id}
          ? unpack('Z*', $pdu->{receipted_message_id}) : undef,
        messageState => defined $pdu->{message_state} ? unpack('C', $pdu->{message_state}) : undef });
    } elsif ($pdu->{cmd} == 0x00000015) {
      $smpp->enquire_link_resp(seq => $pdu->{seq});
      out({ event => 'enquire_link' });
    }
  }
  alarm 0;
  my $seq = $smpp->unbind();
  my $u = $smpp->wait_pdu(0x80000006, $seq) or fail('unbind: no response');
  out({ event => 'unbound', status => $u->{status} });
} else {
  fail("unknown mode '$mode' (submit or receive)");
}
